package dev.clpipe.pipeline;

import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigProblem;
import java.util.List;

/**
 * Files or folders stages read are missing, of the wrong kind or unreadable. Found while
 * planning (so {@code validate} and {@code run} refuse them before any work or run folder) and
 * located at the key that names each path; a data error (exit 4), unlike other config errors.
 */
public final class MissingInputException extends ConfigException {
    public MissingInputException(List<ConfigProblem> problems) {
        super(problems);
    }
}
