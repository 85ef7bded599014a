package dev.clpipe.pipeline;

import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** The run folder's full log (debug level, timestamps, threads), beside the concise console. */
final class RunLog implements AutoCloseable {
    private final FileAppender appender;
    private final LoggerContext context;

    RunLog(Path file) {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        PatternLayout layout = PatternLayout.newBuilder()
                .withPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n%throwable")
                .withConfiguration(config).build();
        appender = FileAppender.newBuilder().setName("run-log-" + System.nanoTime()).withFileName(file.toString())
                .withAppend(true).setLayout(layout).setConfiguration(config).build();
        appender.start();
        // The root logger passes debug lines; the console's own level (see log4j2.xml) filters them there.
        config.getRootLogger().addAppender(appender, Level.DEBUG, null);
        context.updateLoggers();
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
