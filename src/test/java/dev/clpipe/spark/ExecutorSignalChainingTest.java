package dev.clpipe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class ExecutorSignalChainingTest {
    @Test
    void executorsPreloadThisJdksLibjsig() {
        SparkConf conf = ExecutorSignalChaining.apply(new SparkConf(false));
        assertEquals(Path.of(System.getProperty("java.home"), "lib", "libjsig.so").toString(), conf.get(ExecutorSignalChaining.KEY));
    }

    @Test
    void aSubmittersOwnSettingWins() {
        SparkConf conf = ExecutorSignalChaining.apply(new SparkConf(false).set(ExecutorSignalChaining.KEY, "/opt/jdk/lib/libjsig.so"));
        assertEquals("/opt/jdk/lib/libjsig.so", conf.get(ExecutorSignalChaining.KEY));
    }
}
