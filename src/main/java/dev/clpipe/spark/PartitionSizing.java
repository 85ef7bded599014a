package dev.clpipe.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Spark's file-split defaults suit big columnar files: each file counts as at least 4 MB
 * ({@code spark.sql.files.openCostInBytes}) and a folder is cut into about one split per core,
 * so a folder of small images becomes a few large partitions that finish unevenly. Unless the
 * user set them, a run counts a file as 64 KB and asks for four splits per core
 * ({@code spark.sql.files.minPartitionNum}): several waves of tasks, each still many batches long.
 */
final class PartitionSizing {
    static final String OPEN_COST = "spark.sql.files.openCostInBytes";
    static final String MIN_PARTITIONS = "spark.sql.files.minPartitionNum";

    private PartitionSizing() {}

    static void apply(SparkSession spark) {
        if (!spark.conf().contains(OPEN_COST)) spark.conf().set(OPEN_COST, String.valueOf(64 * 1024));
        if (!spark.conf().contains(MIN_PARTITIONS)) {
            spark.conf().set(MIN_PARTITIONS, String.valueOf(4 * spark.sparkContext().defaultParallelism()));
        }
    }
}
