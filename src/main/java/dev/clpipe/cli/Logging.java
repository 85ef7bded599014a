package dev.clpipe.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** Console verbosity from {@code --verbose}/{@code --quiet}; the pattern lives in log4j2.xml. */
final class Logging {
    private Logging() {}

    static void configure(boolean verbose, boolean quiet) {
        if (verbose && quiet) throw new UsageException("--verbose and --quiet exclude each other");
        Configurator.setRootLevel(verbose ? Level.DEBUG : quiet ? Level.WARN : Level.INFO);
    }
}
