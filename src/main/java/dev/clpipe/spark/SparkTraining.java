package dev.clpipe.spark;

import dev.clpipe.cl.ClException;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.RunFolder;
import dev.clpipe.pipeline.StagePlan;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * A training pipeline (jobs only, one {@code train} stage on IDX data or a labelled folder on a
 * path every executor sees, with or without {@code augment:}) as one Spark barrier stage
 * of {@code replicas} tasks, each one replica on its executor's device ({@link BarrierTrainTask}):
 * the gradients are all-reduced among the tasks every step ({@link SocketExchange}), member 0
 * checkpoints into the run folder, which the driver makes on the shared {@code --out}. A resumed
 * run ({@code --resume RUN}) and Spark's retry of a failed barrier stage continue from the run
 * folder's latest checkpoint.
 */
final class SparkTraining {
    private static final Logger LOG = LogManager.getLogger(SparkTraining.class);
    /** Spark's message when a barrier stage needs more task slots than the cluster has (SPARK-24819). */
    private static final String TOO_FEW_SLOTS = "SPARK-24819";

    private SparkTraining() {}

    /** The id of the pipeline's train stage when it is a training pipeline Spark runs in barrier mode. */
    static Optional<String> trainStageOf(Pipeline pipeline) {
        List<StagePlan> stages = pipeline.stages();
        if (!stages.stream().allMatch(s -> s instanceof StagePlan.OfJob)) return Optional.empty();
        List<String> trains = stages.stream().filter(s -> s.type().equals("train")).map(StagePlan::id).toList();
        if (trains.size() > 1) throw new IllegalArgumentException("under Spark a pipeline trains one model, but stages " + trains + " each train one");
        if (trains.isEmpty()) return Optional.empty();
        refuseUnsupported(pipeline, trains.get(0));
        return Optional.of(trains.get(0));
    }

    /**
     * What a replica group cannot train (one device's kinds of training, as {@code device: all}
     * refuses them on one machine): say so before Spark starts, not in a task. IDX data, a labelled
     * folder (each executor reads it at the same path, through its own decoded-sample cache), and
     * {@code augment:}, {@code image:} and {@code view:} on either all run.
     */
    private static void refuseUnsupported(Pipeline pipeline, String id) {
        for (dev.clpipe.config.ConfigSection s : pipeline.config().root().sectionList("stages")) {
            if (!id.equals(s.string("id", ""))) continue;
            if (s.has("transfer")) {
                throw s.error("transfer", "transfer learning trains on one device (its frozen layers and cached features are not split among"
                        + " replicas), so barrier training under Spark cannot run it; use 'clpipe run' with one device");
            }
            if (s.has("model") && s.string("model", "").toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
                throw s.error("model", "an imported ONNX model fine-tunes on one device, so barrier training under Spark cannot run it;"
                        + " use 'clpipe run' with one device");
            }
        }
    }

    static StagePlan.OfJob trainStage(Pipeline pipeline, String id) {
        return (StagePlan.OfJob) pipeline.stages().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no stage " + id));
    }

    /** Runs the job; the run folder. {@code resume}: a run folder to continue. */
    static Path execute(SparkSession spark, Pipeline pipeline, String trainStage, SparkJobSpec.Builder job, Optional<Path> resume, int replicas)
            throws IOException {
        Path folder = resume.isPresent() ? resume.get().toAbsolutePath().normalize()
                : RunFolder.create(pipeline.settings().out(), pipeline.settings().name(), LocalDateTime.now()).path().toAbsolutePath();
        if (resume.isPresent()) RunFolder.resume(folder); // a run folder, or exit 2
        SparkJobSpec spec = job.build(pipeline, folder.toString());
        LOG.info("training stage {} in barrier mode: {} replicas, one per task; run folder {}{}", trainStage, replicas, folder,
                resume.isPresent() ? " (resumed)" : "");
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long t0 = System.nanoTime();
        try {
            List<String> members = jsc.parallelize(IntStream.range(0, replicas).boxed().toList(), replicas).rdd().barrier()
                    .mapPartitions(new BarrierPartitions(new BarrierTrainTask(spec, trainStage, job.command())), false,
                            scala.reflect.ClassTag$.MODULE$.apply(String.class))
                    // a shuffle after the barrier stage makes it a ShuffleMapStage: Spark retries a failed one
                    // (a lost executor), while a failed barrier ResultStage aborts the job
                    .toJavaRDD().repartition(1).collect();
            members.forEach(m -> LOG.info("{}", m));
            LOG.info("barrier training done in {} s; results in {}", Math.round((System.nanoTime() - t0) / 1e8) / 10.0, folder);
            return folder;
        } catch (Exception e) { // Scala throws SparkException undeclared
            if (e instanceof SparkException failed) throw explained(failed, replicas);
            throw e;
        } finally {
            StagingFolder.removeAll(folder);
        }
    }

    /**
     * Spark checks that a barrier stage's tasks can all run at once every 15 s, 40 times, before it
     * fails the job; a training job waiting for executors that never come fails after 60 s instead
     * (5 s, 12 times) unless the user set these.
     */
    static org.apache.spark.SparkConf barrierDefaults(org.apache.spark.SparkConf conf) {
        conf.setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "5s");
        conf.setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "12");
        return conf;
    }

    /** One replica per task slot: executors x cores per executor as configured, else Spark's default parallelism. */
    static int defaultReplicas(SparkSession spark) {
        org.apache.spark.SparkConf conf = spark.sparkContext().getConf();
        int perTask = conf.getInt("spark.task.cpus", 1);
        if (conf.contains("spark.executor.instances")) {
            return Math.max(1, conf.getInt("spark.executor.instances", 1) * conf.getInt("spark.executor.cores", 1) / perTask);
        }
        if (conf.contains("spark.cores.max")) return Math.max(1, conf.getInt("spark.cores.max", 1) / perTask);
        return Math.max(1, spark.sparkContext().defaultParallelism() / perTask);
    }

    /** A failed barrier job as the one-line error of its cause: a device error (exit 3) names the executor's host. */
    static RuntimeException explained(SparkException e, int replicas) {
        String message = String.valueOf(e.getMessage());
        if (message.contains(TOO_FEW_SLOTS)) {
            return new IllegalStateException("the barrier stage needs " + replicas + " task slots at once (one per replica), but the cluster did not offer"
                    + " them within spark.scheduler.barrier.maxConcurrentTasksCheck.interval x maxFailures; start more executors or ask for fewer"
                    + " replicas (--replicas)", e);
        }
        String cl = ClException.class.getName() + ": ";
        int at = message.indexOf(cl);
        if (at >= 0) {
            String line = message.substring(at + cl.length()).lines().findFirst().orElse("");
            return new ClException(line);
        }
        return new IllegalStateException("barrier training failed: " + message.lines().findFirst().orElse(""), e);
    }
}
