package dev.clpipe.spark;

import static org.apache.spark.sql.functions.col;

import dev.clpipe.data.SkippedReport;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.RunFolder;
import java.io.IOException;
import java.net.URI;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs a planned pipeline as one Spark job, from the driver: creates the run folder, reads the
 * images with {@code binaryFile}, numbers them in the one-machine order ({@link WalkOrder}), runs the per-image stages in {@code mapPartitions},
 * writes {@code results.parquet} through Spark's committer, merges the per-run JSON Lines files
 * from every task ({@link MergedLines}), then leaves metrics.json, skipped.csv and run.json beside it.
 */
public final class SparkRun {
    private static final Logger LOG = LogManager.getLogger(SparkRun.class);
    static final String RESULTS = "results.parquet";

    /** How a run went: its folder and counts read back from the committed Parquet. */
    public record Result(RunFolder folder, long images, long ok, long skipped, double seconds) {}

    private SparkRun() {}

    /**
     * @param inputUri the folder to read as Spark sees it (e.g. {@code hdfs://nn/photos}); empty
     *                 uses the source's local folder
     */
    public static Result execute(SparkSession spark, Pipeline pipeline, SparkJobSpec.Builder job, java.util.Optional<String> inputUri)
            throws IOException {
        SparkPlan plan = SparkPlan.of(pipeline);
        RunFolder folder = RunFolder.create(pipeline.settings().out(), pipeline.settings().name(), LocalDateTime.now());
        pipeline.frozenConfig().write(folder.file("config.yaml"));
        SparkJobSpec spec = job.build(pipeline, folder.path().toAbsolutePath().toString());
        SparkRecords records = new SparkRecords(folder, pipeline, spark, job.command());
        records.started();
        long t0 = System.nanoTime();
        String status = "failed";
        SparkMetrics metrics = new SparkMetrics(spark.sparkContext(), plan.stageIds());
        MergedLines lines = new MergedLines(spark.sparkContext());
        try {
            String root = qualified(spark, inputUri.orElse(plan.input().folder().toUri().toString()));
            PartitionSizing.apply(spark);
            Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                    .option("pathGlobFilter", plan.input().globFilter()).load(root);
            // Spark lists the folder on the driver; numbering that listing costs no job and no shuffle.
            Map<String, Long> order = WalkOrder.index(files.inputFiles(), root + "/", plan.input());
            LOG.info("{} image files listed under {} in {} s", order.size(), root, seconds(t0));
            Broadcast<Map<String, Long>> index = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(order);
            PartitionProcessor body = new PartitionProcessor(spec, metrics, lines, index, root + "/", pipeline.settings().device());
            Dataset<Row> results = files.select("path", "content").mapPartitions(body, Encoders.row(ResultRows.SCHEMA));
            String parquet = folder.file(RESULTS).toUri().toString();
            results.write().parquet(parquet);
            LOG.info("stages ran and {} was committed after {} s", RESULTS, seconds(t0));
            List<String> merged = lines.writeTo(folder.path());
            if (!merged.isEmpty()) LOG.info("merged {} from every task on the driver", merged);
            for (var stage : plan.stages()) stage.atEnd().write(folder); // COCO/YOLO, predictions.csv: from the merged files
            UnreadFiles.append(spark, order, root, parquet, metrics);
            Result result = summarize(spark, folder, parquet, (System.nanoTime() - t0) / 1e9);
            records.finished(metrics, result);
            status = "ok";
            return result;
        } finally {
            if (spark.sparkContext().isLocal()) ExecutorPipeline.close(spec.key()); // the executor is this JVM
            StagingFolder.removeAll(folder.path());
            if (!status.equals("ok")) records.failed(metrics);
            records.ended(status);
        }
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
    }

    /** The folder as Hadoop qualifies it, the prefix of every {@code path} binaryFile yields (no trailing '/'). */
    static String qualified(SparkSession spark, String uri) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(URI.create(uri));
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(p)) throw new java.nio.file.NoSuchFileException(uri, null, "input folder does not exist");
        String q = fs.makeQualified(p).toString();
        return q.endsWith("/") ? q.substring(0, q.length() - 1) : q;
    }

    private static Result summarize(SparkSession spark, RunFolder folder, String parquet, double seconds) throws IOException {
        Dataset<Row> rows = spark.read().parquet(parquet);
        long images = rows.count();
        List<Row> notOk = new java.util.ArrayList<>(rows.filter(col("status").notEqual("ok")).select("path", "reason", "message", "status")
                .collectAsList());
        notOk.sort(java.util.Comparator.comparing((Row r) -> r.getString(0)));
        SkippedReport skipped = new SkippedReport();
        for (Row r : notOk) {
            boolean dropped = r.getString(3).equals("dropped");
            skipped.add(r.getString(0), dropped ? "dropped" : r.getString(1), dropped ? "a stage removed it without a reason" : r.getString(2));
        }
        skipped.writeCsv(folder.file("skipped.csv"));
        Result result = new Result(folder, images, images - notOk.size(), notOk.size(), seconds);
        LOG.info("{} images in {} s ({} images/s): {} ok, {} skipped; results in {}", images, Math.round(seconds * 10) / 10.0,
                Math.round(images / Math.max(seconds, 1e-9)), result.ok(), result.skipped(), folder.path());
        return result;
    }

}
