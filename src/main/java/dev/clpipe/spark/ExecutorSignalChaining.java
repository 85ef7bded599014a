package dev.clpipe.spark;

import dev.clpipe.cl.SignalChaining;
import org.apache.spark.SparkConf;

/**
 * Executors load OpenCL drivers, so they preload libjsig like {@code ./clpipe} does
 * ({@link SignalChaining}): {@code spark.executorEnv.LD_PRELOAD} is set to this JDK's library
 * unless the submitter set it (executors on another JDK layout set their own). The driver's own
 * environment comes from whoever starts it (docs/spark.md).
 */
final class ExecutorSignalChaining {
    static final String KEY = "spark.executorEnv.LD_PRELOAD";

    private ExecutorSignalChaining() {}

    static SparkConf apply(SparkConf conf) {
        return conf.setIfMissing(KEY, SignalChaining.library().toString());
    }
}
