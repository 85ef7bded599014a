package dev.clpipe.cli;

import dev.clpipe.config.KeyDoc;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.StagePlan;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code clpipe validate FILE.yaml}: checks a pipeline's config completely, running nothing. */
final class ValidateCommand implements Command {
    private final PrintStream out;

    ValidateCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String summary() {
        return "check a pipeline file (keys, types, ranges, paths, stage order) without running it";
    }

    @Override
    public String arguments() {
        return "FILE.yaml";
    }

    @Override
    public Options options() {
        return PipelineOptions.add(new Options())
                .addOption(Option.builder().longOpt("keys").desc("also list every key the stages read: expected value, default, description").build());
    }

    @Override
    public ExitCode execute(CommandLine line) {
        Pipeline pipeline = PipelineOptions.plan(line);
        out.println(pipeline.config().file() + ": ok, " + pipeline.stages().size() + " stage(s)");
        for (StagePlan stage : pipeline.stages()) out.println("  " + stage.id() + " (" + stage.type() + ")");
        if (line.hasOption("keys")) {
            out.println("keys:");
            for (KeyDoc key : pipeline.config().root().documentation()) out.println("  " + key);
        }
        return ExitCode.OK;
    }
}
