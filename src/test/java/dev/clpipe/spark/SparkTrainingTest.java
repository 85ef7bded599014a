package dev.clpipe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClException;
import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.data.TinyLabelledFolder;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.stages.BuiltinStages;
import dev.clpipe.pipeline.stages.TinyTraining;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.SparkException;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training pipeline under Spark in local mode (two task slots): a barrier job of two replicas
 * trains, member 0 checkpoints every epoch into the run folder and records the group in
 * metrics.json, and {@code --resume} of the finished run has nothing left to do; {@code augment:}
 * and a labelled folder are accepted, transfer learning and an imported ONNX model (one device's)
 * are refused before Spark starts (exit 2, one line naming the key); a device the executors do not have fails
 * the job with exit 3; more replicas than task slots fail after the slot check instead of waiting.
 * Bit-equality with the one-machine replicas: {@code GroupReplicaSessionTest},
 * {@code SparkFolderTrainingMultiDeviceTest} and the cluster check.
 */
class SparkTrainingTest {
    @TempDir
    static Path temp;
    static SparkSession spark;

    @BeforeAll
    static void start() throws IOException {
        spark = LocalSpark.twoSlots("clpipe-training-test")
                .config("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s")
                .config("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "2")
                .config("spark.stage.maxConsecutiveAttempts", "2").getOrCreate();
        TinyTraining.writeIdx(temp.resolve("data"), "train", 64, 1);
        TinyTraining.writeIdx(temp.resolve("data"), "t10k", 16, 2);
        Files.writeString(temp.resolve("tiny.yaml"), TinyTraining.MODEL);
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    private static Path pipeline(String name, String extra) throws IOException {
        return Files.writeString(temp.resolve(name + ".yaml"), """
                name: %s
                seed: 5
                stages:
                  - id: train
                    type: train
                    data: data
                    model: tiny.yaml
                    batch: 16
                    epochs: 2
                    optimizer: {type: sgd, lr: 0.05, momentum: 0.9}
                %s""".formatted(name, extra));
    }

    private static int run(String... args) {
        return SparkPipeline.run(args, name -> spark);
    }

    private static Path onlyRun(Path out) throws IOException {
        try (Stream<Path> runs = Files.list(out)) {
            return runs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    @Test
    void twoReplicasTrainInBarrierModeAndAResumeOfTheFinishedRunHasNothingLeft() throws Exception {
        Path out = temp.resolve("runs");
        assertEquals(0, run(pipeline("tiny-train", "").toString(), "--out", out.toString(), "--replicas", "2"));
        Path folder = onlyRun(out);
        assertTrue(Files.isRegularFile(folder.resolve("checkpoints/epoch-0001/index.json")));
        assertTrue(Files.isRegularFile(folder.resolve("checkpoints/epoch-0002/conv1.weight.npy")), "member 0 checkpoints every epoch");
        assertTrue(Files.notExists(folder.resolve(StagingFolder.NAME)), "the followers' scratch folders are removed");
        JsonNode group = new ObjectMapper().readTree(folder.resolve("metrics.json").toFile()).path("stages").path("train").path("data_parallel").path("group");
        assertEquals(2, group.path("members").asInt(), group.toString());
        assertEquals(8, group.path("rows").asInt(), "the even split of batch 16");
        assertTrue(group.path("bytes_per_step").asInt() > 4 * 100, group.toString());
        byte[] trained = Files.readAllBytes(folder.resolve("checkpoints/epoch-0002/conv1.weight.npy"));
        assertEquals(0, run(pipeline("tiny-train", "").toString(), "--out", out.toString(), "--replicas", "2", "--resume", folder.toString()));
        assertTrue(java.util.Arrays.equals(trained, Files.readAllBytes(folder.resolve("checkpoints/epoch-0002/conv1.weight.npy"))));
        assertTrue(Files.readString(folder.resolve("run.json")).contains("\"ok\""));
    }

    @Test
    void transferAndAnImportedModelAreRefusedBeforeSparkStartsInOneLineNamingTheKey() throws Exception {
        Path checkpoint = Files.createDirectories(temp.resolve("pretrained"));
        Files.writeString(checkpoint.resolve("index.json"), "{}");
        Path file = pipeline("tiny-transfer", "    transfer: {from: pretrained, reuse: 1}\n");
        assertEquals(2, SparkPipeline.run(new String[] {file.toString(), "--out", temp.resolve("refused").toString()}, name -> {
            throw new AssertionError("Spark must not start");
        }));
        Pipeline planned = Pipeline.plan(new ConfigLoader().load(file), SparkStages.of(BuiltinStages.registry()));
        ConfigException e = assertThrows(ConfigException.class, () -> SparkTraining.trainStageOf(planned));
        assertTrue(e.getMessage().contains("stages[train].transfer") && e.getMessage().contains("clpipe run"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());

        Files.copy(Path.of("src/test/resources/nn/onnx/lenet5.onnx"), temp.resolve("lenet5.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        TinyLabelledFolder.write(temp.resolve("onnx-photos"), 2, 7);
        Path onnx = Files.writeString(temp.resolve("tiny-onnx.yaml"), Files.readString(pipeline("tiny-onnx", "    cache: cache\n"))
                .replace("data: data", "data: onnx-photos").replace("model: tiny.yaml", "model: lenet5.onnx"));
        Pipeline imported = Pipeline.plan(new ConfigLoader().load(onnx), SparkStages.of(BuiltinStages.registry()));
        ConfigException m = assertThrows(ConfigException.class, () -> SparkTraining.trainStageOf(imported));
        assertTrue(m.getMessage().contains("stages[train].model") && m.getMessage().contains("one device"), m.getMessage());
    }

    @Test
    void augmentAndALabelledFolderAreAccepted() throws Exception {
        Path augmented = pipeline("tiny-augment", "    augment: {crop: {size: 8, padding: 1}}\n");
        assertEquals(Optional.of("train"), SparkTraining.trainStageOf(Pipeline.plan(new ConfigLoader().load(augmented), SparkStages.of(BuiltinStages.registry()))));
        TinyLabelledFolder.write(temp.resolve("photos"), 2, 7);
        Path folder = Files.writeString(temp.resolve("tiny-folder.yaml"), Files.readString(pipeline("tiny-folder", "    cache: cache\n"))
                .replace("data: data", "data: photos"));
        assertEquals(Optional.of("train"), SparkTraining.trainStageOf(Pipeline.plan(new ConfigLoader().load(folder), SparkStages.of(BuiltinStages.registry()))));
    }

    @Test
    void aDeviceTheExecutorsLackFailsTheJobWithExit3() throws Exception {
        Path file = Files.writeString(temp.resolve("tiny-nodevice.yaml"), Files.readString(pipeline("tiny-nodevice", "")).replace("seed: 5",
                "seed: 5\ndevice: name~no-such-device"));
        assertEquals(3, run(file.toString(), "--out", temp.resolve("nodevice").toString(), "--replicas", "2"));
    }

    @Test
    void moreReplicasThanTaskSlotsFailInsteadOfWaiting() throws Exception {
        long t0 = System.nanoTime();
        assertEquals(1, run(pipeline("tiny-slots", "").toString(), "--out", temp.resolve("slots").toString(), "--replicas", "3"));
        assertTrue((System.nanoTime() - t0) / 1e9 < 60, "the slot check gave up within its interval x maxFailures");
    }

    @Test
    void aRemoteDeviceErrorBecomesOneLineNamingTheHost() {
        SparkException failed = new SparkException("Job aborted due to stage failure: Could not recover from a failed barrier ResultStage."
                + " Most recent failure reason: Stage failed because barrier task ResultTask(0, 1) finished unsuccessfully.\n"
                + "dev.clpipe.cl.ClException: replica 1 of 2 on executor host node7: no OpenCL platform found\n\tat dev.clpipe.cl.ClRuntime.open(ClRuntime.java:1)");
        RuntimeException e = SparkTraining.explained(failed, 2);
        assertInstanceOf(ClException.class, e);
        assertEquals("replica 1 of 2 on executor host node7: no OpenCL platform found", e.getMessage());
        assertTrue(SparkTraining.explained(new SparkException("[SPARK-24819]: Barrier execution mode does not allow ..."), 3).getMessage()
                .startsWith("the barrier stage needs 3 task slots at once"));
    }
}
