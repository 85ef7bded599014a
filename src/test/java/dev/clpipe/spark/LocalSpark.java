package dev.clpipe.spark;

import org.apache.logging.log4j.Level;
import org.apache.spark.sql.SparkSession;

/** The local-mode session of the barrier-training tests: two task slots (two replicas), no UI, the loopback address. */
final class LocalSpark {
    private LocalSpark() {}

    /** A builder for application {@code app}; Spark's own logging capped at warnings. */
    static SparkSession.Builder twoSlots(String app) {
        SparkLogging.cap(Level.WARN);
        return SparkSession.builder().master("local[2]").appName(app).config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1");
    }
}
