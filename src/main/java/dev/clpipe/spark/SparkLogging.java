package dev.clpipe.spark;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * clpipe's log configuration passes debug lines to the run log, which would make Spark, Hadoop,
 * Parquet and Netty format every debug message they have; this caps those libraries' level.
 */
final class SparkLogging {
    private static final String[] LIBRARIES = {"org.apache.spark", "org.sparkproject", "org.apache.hadoop", "org.apache.parquet",
        "io.netty", "org.apache.zookeeper", "org.eclipse.jetty", "org.apache.ivy"};

    private SparkLogging() {}

    static void cap(Level level) {
        for (String name : LIBRARIES) Configurator.setLevel(name, level);
    }
}
