package dev.clpipe.javaop;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Aparapi logs through java.util.logging at WARNING and, when it logs a kernel's fallback to Java,
 * also prints the exception's stack trace on stderr. Its logger (named {@code com.aparapi.logLevel})
 * is set to SEVERE so neither reaches the console; {@link PixelOpRunner} asks Aparapi to compile the
 * kernel itself and reports the reason in one line instead.
 */
final class AparapiLog {
    private static final String LOGGER = "com.aparapi.logLevel"; // Aparapi's Config names its logger after its property
    private static Logger held; // JUL keeps loggers weakly

    private AparapiLog() {}

    static synchronized void install() {
        if (held != null) return;
        if (System.getProperty(LOGGER) == null) System.setProperty(LOGGER, "SEVERE");
        try {
            Class.forName("com.aparapi.Config"); // its initialiser sets the level from the property; set ours after it
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Aparapi is not on the class path", e);
        }
        held = Logger.getLogger(LOGGER);
        if (Level.SEVERE.intValue() > levelOf(held)) held.setLevel(Level.SEVERE);
    }

    private static int levelOf(Logger logger) {
        return logger.getLevel() == null ? Level.INFO.intValue() : logger.getLevel().intValue();
    }
}
