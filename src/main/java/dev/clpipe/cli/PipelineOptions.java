package dev.clpipe.cli;

import dev.clpipe.config.Config;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.config.YamlLimits;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.Plugins;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** The options {@code run} and {@code validate} share: the YAML file, --set, and the common flags. */
final class PipelineOptions {
    private PipelineOptions() {}

    static Options add(Options options) {
        return options
                .addOption(Option.builder().longOpt("set").hasArgs().argName("KEY=VALUE")
                        .desc("override a config value, e.g. --set stages[train].optimizer.lr=0.01 (repeatable)").build())
                .addOption(Option.builder("i").longOpt("input").hasArg().argName("PATH").desc("input file or folder").build())
                .addOption(Option.builder("o").longOpt("out").hasArg().argName("DIR").desc("folder for run folders (default runs)").build())
                .addOption(Option.builder("d").longOpt("device").hasArg().argName("SPEC")
                        .desc("OpenCL device: auto, cpu, gpu, accelerator, all, P:D, name~TEXT").build())
                .addOption(Option.builder().longOpt("seed").hasArg().argName("N").desc("seed of all randomness").build())
                .addOption(Option.builder().longOpt("plugins").hasArg().argName("DIR")
                        .desc("folder of plug-in jars adding stage types and java-op classes (see examples/plugin)").build());
    }

    /**
     * Loads the YAML named by the single positional argument (a pipeline file, or a run folder,
     * whose complete config.yaml is rerun), with flags and --set applied, and plans it.
     */
    static Pipeline plan(CommandLine line) {
        List<String> args = line.getArgList();
        if (args.size() != 1) throw new UsageException("expected one pipeline file (e.g. pipelines/mnist-lenet5.yaml), got " + args);
        Path file = Path.of(args.get(0));
        if (Files.isDirectory(file) && Files.isRegularFile(file.resolve("config.yaml"))) file = file.resolve("config.yaml"); // a run folder: rerun it
        if (!Files.isRegularFile(file)) {
            throw new UsageException((Files.isDirectory(file) ? "folder " + file + " is not a run folder (no config.yaml)" : "pipeline file " + file + " does not exist"));
        }
        Map<String, String> flags = new LinkedHashMap<>();
        for (String flag : List.of("input", "out", "device", "seed")) {
            if (line.hasOption(flag)) flags.put(flag, line.getOptionValue(flag));
        }
        List<String> sets = line.hasOption("set") ? Arrays.asList(line.getOptionValues("set")) : List.of();
        Config config = new ConfigLoader(YamlLimits.DEFAULT, List.of(pipelinesFolder())).load(file, flags, sets);
        Plugins plugins = line.hasOption("plugins") ? Plugins.load(Path.of(line.getOptionValue("plugins"))) : Plugins.none();
        return Pipeline.plan(config, BuiltinStages.registry(plugins));
    }

    /** The shipped pipelines folder (for {@code base: _base/...} from files elsewhere). */
    private static Path pipelinesFolder() {
        return Path.of("pipelines").toAbsolutePath().normalize();
    }
}
