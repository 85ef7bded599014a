package dev.clpipe.spark;

import dev.clpipe.pipeline.JsonFiles;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.RunFolder;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;

/**
 * The driver's records in the run folder: run.json (as {@code clpipe run} writes it, plus the
 * Spark master, application id and version) and metrics.json (stage timings summed over
 * executors from the accumulators, and the job's images and images/s).
 */
final class SparkRecords {
    private static final Logger LOG = LogManager.getLogger(SparkRecords.class);
    private final RunFolder folder;
    private final Map<String, Object> run = new LinkedHashMap<>();

    SparkRecords(RunFolder folder, Pipeline pipeline, SparkSession spark, List<String> command) {
        this.folder = folder;
        run.put("name", pipeline.settings().name());
        run.put("config", pipeline.config().file().toString());
        run.put("command", command);
        run.put("seed", pipeline.settings().seed());
        run.put("device", pipeline.settings().device());
        run.put("engine", Map.of("name", "spark", "master", spark.sparkContext().master(),
                "application_id", spark.sparkContext().applicationId(), "version", spark.version()));
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("clpipe", Optional.ofNullable(SparkRecords.class.getPackage().getImplementationVersion()).orElse("dev"));
        versions.put("java", System.getProperty("java.version"));
        versions.put("spark", spark.version());
        run.put("versions", versions);
    }

    void started() throws IOException {
        run.put("status", "running");
        run.put("started", Instant.now().toString());
        JsonFiles.write(folder.file("run.json"), run);
    }

    void finished(SparkMetrics metrics, SparkRun.Result result) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stages", metrics.stagesJson());
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("images", result.images());
        job.put("ok", result.ok());
        job.put("skipped", result.skipped());
        job.put("seconds", SparkMetrics.round(result.seconds()));
        job.put("images_per_s", SparkMetrics.round(result.images() / Math.max(result.seconds(), 1e-9)));
        job.put("accumulated_images", metrics.images());
        job.put("accumulated_skipped", metrics.skipped());
        json.put("spark", job);
        JsonFiles.write(folder.file("metrics.json"), json);
    }

    /** After a failed job: what the successful tasks had done, as one machine leaves metrics.json after a failure. */
    void failed(SparkMetrics metrics) {
        try {
            JsonFiles.write(folder.file("metrics.json"), Map.of("stages", metrics.stagesJson(),
                    "spark", Map.of("status", "failed", "accumulated_images", metrics.images(), "accumulated_skipped", metrics.skipped())));
        } catch (IOException e) {
            LOG.error("could not write {}: {}", folder.file("metrics.json"), e.getMessage());
        }
    }

    void ended(String status) {
        run.put("status", status);
        run.put("ended", Instant.now().toString());
        try {
            JsonFiles.write(folder.file("run.json"), run);
        } catch (IOException e) {
            LOG.error("could not write {}: {}", folder.file("run.json"), e.getMessage());
        }
    }
}
