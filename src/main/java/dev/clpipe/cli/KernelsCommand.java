package dev.clpipe.cli;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.cl.KernelCatalog;
import dev.clpipe.cl.OfflineBuilder;
import dev.clpipe.cl.OfflineManifest;
import dev.clpipe.cl.ProgramSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code clpipe kernels list|build}: the shipped kernels, and offline binaries for compiler-less devices. */
final class KernelsCommand implements Command {
    private final PrintStream out;

    KernelsCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "kernels";
    }

    @Override
    public String summary() {
        return "list kernel programs, or build offline binaries + manifest.json for a device (FPGA-style)";
    }

    @Override
    public String arguments() {
        return "list | build --device SPEC --out DIR";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder("d").longOpt("device").hasArg().argName("SPEC").desc("device to build for (one device)").build())
                .addOption(Option.builder("o").longOpt("out").hasArg().argName("DIR").desc("folder for binaries and manifest.json").build());
    }

    @Override
    public ExitCode execute(CommandLine line) throws Exception {
        List<String> args = line.getArgList();
        String action = args.isEmpty() ? "" : args.get(0);
        switch (action) {
            case "list" -> {
                for (ProgramSpec spec : KernelCatalog.all()) {
                    out.println(spec.file() + (spec.options().isEmpty() ? "" : "  [" + spec.options() + "]"));
                }
                return ExitCode.OK;
            }
            case "build" -> {
                if (!line.hasOption("device") || !line.hasOption("out")) {
                    throw new UsageException("kernels build needs --device SPEC and --out DIR");
                }
                Path folder = Path.of(line.getOptionValue("out"));
                try (ClContext context = ClRuntime.standard().openOne(line.getOptionValue("device"))) {
                    OfflineManifest manifest = OfflineBuilder.build(context, KernelCatalog.all(), folder);
                    out.println("wrote " + manifest.programs().size() + " binaries for " + context.device().describe()
                            + " and " + folder.resolve(OfflineManifest.FILE_NAME));
                }
                return ExitCode.OK;
            }
            default -> throw new UsageException("kernels needs an action: list, or build --device SPEC --out DIR");
        }
    }
}
