package dev.clpipe.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The one error type of the config package. Its message names file:line:col, the key path,
 * what was expected and what was found, one problem per line, e.g.
 * {@code pipelines/mnist.yaml:14:9: train.lr: expected a positive number, found "fast"}.
 */
public class ConfigException extends RuntimeException {

    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(ConfigProblem problem) {
        this(List.of(problem));
    }

    public ConfigException(Origin origin, String keyPath, String message) {
        this(new ConfigProblem(origin, keyPath, message));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}
