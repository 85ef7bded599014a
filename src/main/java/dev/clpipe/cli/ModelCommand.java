package dev.clpipe.cli;

import dev.clpipe.nn.ModelSpec;
import dev.clpipe.pipeline.stages.ModelFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code clpipe model summary FILE.yaml}: reads a model YAML, runs shape inference and prints each
 * layer's output shape and parameter count (a misfit is a config error naming file, line and layer).
 */
final class ModelCommand implements Command {
    private final PrintStream out;

    ModelCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "model";
    }

    @Override
    public String summary() {
        return "inspect a model YAML: 'model summary FILE' prints layers, output shapes and parameter counts";
    }

    @Override
    public String arguments() {
        return "summary FILE.yaml";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public ExitCode execute(CommandLine line) {
        List<String> args = line.getArgList();
        if (args.size() != 2 || !args.get(0).equals("summary")) throw new UsageException("usage: clpipe model summary FILE.yaml");
        ModelSpec spec = ModelFile.read(Path.of(args.get(1)));
        out.print(spec.summary());
        return ExitCode.OK;
    }
}
