package dev.clpipe.javaop;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.logging.log4j.LogManager;

/**
 * Aparapi logs through java.util.logging, with stack traces on stderr when a kernel falls back to
 * Java; those lines go to clpipe's log at debug level instead (log.txt keeps them), and the last
 * warning's first line is kept as the reason a fallback is reported with.
 */
final class AparapiLog {
    private static final Logger APARAPI = Logger.getLogger("com.aparapi"); // held: JUL keeps loggers weakly
    private static final org.apache.logging.log4j.Logger LOG = LogManager.getLogger("com.aparapi");
    private static volatile String lastWarning = "";

    private AparapiLog() {}

    static synchronized void install() {
        if (!APARAPI.getUseParentHandlers()) return;
        APARAPI.setUseParentHandlers(false);
        APARAPI.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record.getMessage();
                if (record.getLevel().intValue() >= Level.WARNING.intValue() && message != null) lastWarning = message.lines().findFirst().orElse("");
                LOG.debug("{}", message, record.getThrown());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }

    /** The first line of Aparapi's last warning (e.g. why a kernel could not be translated), or "". */
    static String lastWarning() {
        return lastWarning;
    }
}
