package dev.clpipe.cli;

import dev.clpipe.cl.ClRuntime;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code clpipe run FILE.yaml}: plans, then runs a pipeline in a new (or resumed) run folder;
 * {@code clpipe run RUN_DIR} reruns that folder's complete config.yaml into a new run folder.
 */
final class RunCommand implements Command {

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run a pipeline (or rerun a run folder's config.yaml); leaves runs/NAME-TIME/ with config.yaml (complete: defaults filled, paths absolute),"
                + " run.json, metrics.json, log.txt, skipped.csv, outputs";
    }

    @Override
    public String arguments() {
        return "FILE.yaml | RUN_DIR";
    }

    @Override
    public Options options() {
        return PipelineOptions.add(new Options())
                .addOption(Option.builder().longOpt("resume").hasArg().argName("RUN_DIR")
                        .desc("continue an interrupted run in its folder, skipping what is done").build())
                .addOption(Option.builder().longOpt("force-config")
                        .desc("with --resume: continue even though the config differs from the run's config.yaml (the differing keys go to run.json)").build())
                .addOption(Option.builder().longOpt("profile").desc("time every kernel launch (OpenCL profiling events): totals in metrics.json and the log").build())
                .addOption(Runtimes.KERNELS_OPTION);
    }

    @Override
    public ExitCode execute(CommandLine line) throws Exception {
        Pipeline pipeline = PipelineOptions.plan(line);
        Optional<Path> resume = Optional.ofNullable(line.getOptionValue("resume")).map(Path::of);
        if (resume.isPresent() && line.hasOption("out")) throw new UsageException("--resume continues in RUN_DIR; drop --out");
        if (resume.isEmpty() && line.hasOption("force-config")) throw new UsageException("--force-config only applies with --resume RUN_DIR");
        Supplier<ClRuntime> runtime = Preflight.check(line, pipeline);
        List<String> command = new ArrayList<>(List.of("clpipe", "run"));
        command.addAll(List.of(line.getArgs()));
        for (Option o : line.getOptions()) {
            command.add("--" + o.getLongOpt());
            if (o.hasArg()) command.addAll(o.getValuesList());
        }
        PipelineRun.Result result = PipelineRun.execute(pipeline, runtime,
                new PipelineRun.Options(resume, line.hasOption("profile"), command, line.hasOption("force-config")));
        return switch (result.status()) {
            case OK -> ExitCode.OK;
            case INTERRUPTED -> ExitCode.OTHER;
            case FAILED -> ExitCode.OTHER;
        };
    }
}
