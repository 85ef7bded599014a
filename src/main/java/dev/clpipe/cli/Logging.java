package dev.clpipe.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * Console verbosity from {@code --verbose}/{@code --quiet}. Only the console appender's level
 * changes: the root logger stays at debug so a run folder's log.txt gets every line.
 */
final class Logging {
    private Logging() {}

    static void configure(boolean verbose, boolean quiet) {
        if (verbose && quiet) throw new UsageException("--verbose and --quiet exclude each other");
        Level level = verbose ? Level.DEBUG : quiet ? Level.WARN : Level.INFO;
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        Appender console = config.getAppender("console");
        if (console == null) return; // a test or embedding configuration without our console
        root.removeAppender("console");
        root.addAppender(console, level, null);
        context.updateLoggers();
    }
}
