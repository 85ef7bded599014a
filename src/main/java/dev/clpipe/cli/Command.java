package dev.clpipe.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** One subcommand: its name, a one-line summary, its options, and what it does. */
public interface Command {
    String name();

    String summary();

    /** Positional arguments for the usage line, e.g. {@code "FILE.yaml"}; empty if none. */
    default String arguments() {
        return "";
    }

    Options options();

    /** Runs with parsed arguments; returns the exit code. Throws for errors Main maps to codes. */
    ExitCode execute(CommandLine line) throws Exception;
}
