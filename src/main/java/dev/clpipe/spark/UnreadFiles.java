package dev.clpipe.spark;

import dev.clpipe.data.ImageDecoder;
import dev.clpipe.data.ImageRejectedException;
import dev.clpipe.data.RejectReason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Files Spark listed but never handed to a task: Spark's file scan leaves out empty files, which
 * one machine reports as skipped ({@code empty}). After the job, the driver finds them (listed
 * paths without a result row), refuses them with the same decoder and message, and appends
 * their rows to the results, so skipped.csv and the Parquet hold every listed file.
 */
final class UnreadFiles {
    private UnreadFiles() {}

    /** Appends a row for each unread file to the Parquet at {@code parquet}; how many. */
    static long append(SparkSession spark, Map<String, Long> listed, String root, String parquet, SparkMetrics metrics) throws IOException {
        if (spark.read().parquet(parquet).count() == listed.size()) return 0; // rows are unique per path: none missing
        Dataset<Row> all = spark.createDataset(new ArrayList<>(listed.keySet()), Encoders.STRING()).toDF("path");
        List<String> unread = all.join(spark.read().parquet(parquet).select("path"), "path", "left_anti")
                .as(Encoders.STRING()).collectAsList();
        if (unread.isEmpty()) return 0;
        FileSystem fs = new org.apache.hadoop.fs.Path(root).getFileSystem(spark.sparkContext().hadoopConfiguration());
        List<Row> rows = new ArrayList<>();
        for (String rel : unread) {
            rows.add(row(rel, listed.get(rel), fs, new org.apache.hadoop.fs.Path(root + "/" + rel)));
            metrics.stage(0, 0, 1);
            metrics.image(true);
        }
        spark.createDataFrame(rows, ResultRows.SCHEMA).coalesce(1).write().mode(SaveMode.Append).parquet(parquet);
        return rows.size();
    }

    private static Row row(String rel, long index, FileSystem fs, org.apache.hadoop.fs.Path path) {
        String reason = RejectReason.IO_ERROR.code();
        String message = "listed but not read (removed during the job?)";
        try {
            FileStatus status = fs.getFileStatus(path);
            if (status.getLen() == 0) new ImageDecoder().decode(new byte[0], rel);
        } catch (ImageRejectedException e) {
            reason = e.reason().code();
            message = e.detail();
        } catch (IOException e) {
            message = "cannot read: " + e.getMessage();
        }
        return RowFactory.create(rel, index, "skipped", reason, message, null, null, "{}");
    }
}
