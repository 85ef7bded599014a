package dev.clpipe.cli;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.cl.KernelCatalog;
import dev.clpipe.cl.OfflineBuilder;
import dev.clpipe.cl.OfflineManifest;
import dev.clpipe.cl.ProgramSpec;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.train.KernelWarmUp;
import dev.clpipe.pipeline.stages.ModelFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
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
        return "list | build --device SPEC --out DIR [--model FILE.yaml]... [--batch N[,N...]]";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder("d").longOpt("device").hasArg().argName("SPEC").desc("device to build for (one device)").build())
                .addOption(Option.builder("o").longOpt("out").hasArg().argName("DIR").desc("folder for binaries and manifest.json").build())
                .addOption(Option.builder().longOpt("model").hasArg().argName("FILE").desc("also the shape-specialised kernels of this model YAML (repeatable)").build())
                .addOption(Option.builder().longOpt("batch").hasArg().argName("N,...").desc("batch sizes (per device) to build the models' kernels for (default 128)").build());
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
                List<ModelSpec> models = new ArrayList<>();
                for (String file : line.getOptionValues("model") == null ? new String[0] : line.getOptionValues("model")) {
                    models.add(ModelFile.read(Path.of(file)));
                }
                List<Integer> batches = batches(line.getOptionValue("batch", "128"));
                try (ClContext context = ClRuntime.standard().openOne(line.getOptionValue("device"))) {
                    for (ModelSpec model : models) {
                        for (int batch : batches) KernelWarmUp.run(context, model, batch);
                    }
                    OfflineManifest manifest = OfflineBuilder.build(context, KernelCatalog.all(), folder);
                    out.println("wrote " + manifest.programs().size() + " binaries for " + context.device().describe()
                            + " and " + folder.resolve(OfflineManifest.FILE_NAME));
                }
                return ExitCode.OK;
            }
            default -> throw new UsageException("kernels needs an action: list, or build --device SPEC --out DIR");
        }
    }

    private static List<Integer> batches(String text) throws UsageException {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                int n = Integer.parseInt(part.trim());
                if (n < 1 || n > 65536) throw new NumberFormatException();
                out.add(n);
            } catch (NumberFormatException e) {
                throw new UsageException("--batch expects batch sizes 1..65536 separated by commas, found '" + text + "'");
            }
        }
        return out;
    }
}
