package dev.clpipe.pipeline;

/**
 * clpipe's console logging (one short line per message on stderr) for its own entry points. The
 * configuration ships as {@code clpipe-log4j2.xml}, not {@code log4j2.xml}, so an application that
 * embeds clpipe keeps its own logging; the command line and Spark mains select it before their
 * first logger, unless the user named a configuration ({@code -Dlog4j2.configurationFile=...}).
 */
public final class ConsoleLogConfig {
    static final String PROPERTY = "log4j2.configurationFile";
    static final String BUNDLED = "classpath:clpipe-log4j2.xml";

    private ConsoleLogConfig() {}

    /** Call first thing in a main class's static initialiser, before any logger exists. */
    public static void selectUnlessSet() {
        if (System.getProperty(PROPERTY) == null && System.getenv("LOG4J_CONFIGURATION_FILE") == null) {
            System.setProperty(PROPERTY, BUNDLED);
        }
    }
}
