package dev.clpipe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.data.TinyLabelledFolder;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import dev.clpipe.pipeline.stages.BuiltinStages;
import dev.clpipe.pipeline.stages.TinyTraining;
import dev.clpipe.tensor.Npy;
import dev.clpipe.testing.Tolerance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Barrier training under Spark (local mode, two task slots, two replicas) from the data forms
 * {@code clpipe run} trains on several devices, against {@code clpipe run} with {@code device: all}
 * and the even split ({@code rebalance_every: 0}) on the two test devices: a labelled folder (grey
 * PNG, RGB JPEG, RGBA PNG and a corrupt file, which is skipped and listed in skipped.csv) and IDX
 * data with {@code augment:} end with exactly the reference's checkpoint tensors, every epoch; the
 * run folder of a job that ended after its first epoch, resubmitted with {@code --resume},
 * continues from that checkpoint and ends with the same tensors.
 */
@Tag("multidevice")
class SparkFolderTrainingMultiDeviceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path temp;
    static SparkSession spark;

    @BeforeAll
    static void start() throws IOException {
        spark = LocalSpark.twoSlots("clpipe-folder-training-test").getOrCreate();
        TinyLabelledFolder.write(temp.resolve("photos"), 30, 7);
        TinyTraining.writeIdx(temp.resolve("idx"), "train", 64, 1);
        TinyTraining.writeIdx(temp.resolve("idx"), "t10k", 16, 2);
        Files.writeString(temp.resolve("tiny.yaml"), TinyTraining.MODEL);
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    /** A train stage over {@code data} for {@code epochs}; {@code placement} and {@code extra}: more keys of the stage. */
    private static Path pipeline(String name, int epochs, String placement, String extra) throws IOException {
        return Files.writeString(temp.resolve(name + ".yaml"), """
                name: %s
                seed: 5
                stages:
                  - {id: train, type: train, model: tiny.yaml, batch: 8, epochs: %d, optimizer: {type: sgd, lr: 0.05, momentum: 0.9}%s%s}
                """.formatted(name, epochs, placement, extra));
    }

    private static final String FOLDER = ", data: photos, cache: cache, holdout: {test: 0.25}";
    private static final String AUGMENTED_IDX = ", data: idx, augment: {mirror: true, crop: {size: 8, padding: 1}}";
    private static final String BOTH_DEVICES = ", device: all, rebalance_every: 0";

    /** The one-machine reference: {@code clpipe run} of {@code file} on both devices; its run folder. */
    private static Path oneMachine(Path file, Path out) throws Exception {
        Pipeline p = Pipeline.plan(new ConfigLoader().load(file, java.util.Map.of("out", out.toString()), List.of()), BuiltinStages.registry());
        PipelineRun.Result r = PipelineRun.execute(p, Optional.empty(), ClRuntime::standard, List.of("test"));
        assertEquals(PipelineRun.Status.OK, r.status());
        return r.folder().path();
    }

    /** Submits {@code file} to Spark with two replicas (and {@code more} arguments); its run folder under {@code out}. */
    private static Path barrier(Path file, Path out, String... more) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of(file.toString(), "--out", out.toString(), "--replicas", "2"));
        args.addAll(List.of(more));
        assertEquals(0, SparkPipeline.run(args.toArray(String[]::new), name -> spark));
        try (Stream<Path> runs = Files.list(out)) {
            return runs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    /** Every checkpoint tensor of every epoch of {@code want}'s run, equal in {@code got}'s, none missing or extra. */
    private static void sameCheckpoints(Path got, Path want, int epochs) throws IOException {
        List<String> names;
        try (Stream<Path> s = Files.walk(want.resolve("checkpoints"))) {
            names = s.filter(f -> f.toString().endsWith(".npy")).map(f -> want.relativize(f).toString()).sorted().toList();
        }
        try (Stream<Path> s = Files.walk(got.resolve("checkpoints"))) {
            assertEquals(names, s.filter(f -> f.toString().endsWith(".npy")).map(f -> got.relativize(f).toString()).sorted().toList());
        }
        assertTrue(names.size() >= epochs * 4 && names.stream().anyMatch(n -> n.contains("epoch-000" + epochs)), names.toString());
        for (String n : names) Tolerance.EXACT.assertClose(Npy.read(got.resolve(n)).data(), Npy.read(want.resolve(n)).data(), n);
    }

    private static Path folderReference;

    /** The one-machine run of the folder pipeline (made once: two tests compare with it). */
    private static synchronized Path folderReference() throws Exception {
        if (folderReference == null) folderReference = oneMachine(pipeline("folder-one", 2, BOTH_DEVICES, FOLDER), temp.resolve("folder-one"));
        return folderReference;
    }

    @Test
    void aLabelledFolderTrainsInBarrierModeToTheWeightsOfBothDevicesAndListsTheCorruptFile() throws Exception {
        Path got = barrier(pipeline("folder-spark", 2, "", FOLDER), temp.resolve("folder-spark"));
        sameCheckpoints(got, folderReference(), 2);
        assertTrue(Files.readString(got.resolve("skipped.csv")).contains("bad.png"), "the leader lists the corrupt file as clpipe run does");
        JsonNode train = JSON.readTree(got.resolve("metrics.json").toFile()).path("stages").path("train");
        assertEquals(1, train.path("data").path("skipped_files").asInt(), train.path("data").toString());
        assertEquals(2, train.path("data_parallel").path("group").path("members").asInt(), train.path("data_parallel").toString());
        assertEquals(List.of("bottom", "left", "top", "zempty"), JSON.convertValue(train.path("data").path("classes"), List.class));
    }

    @Test
    void augmentedIdxTrainsInBarrierModeToTheWeightsOfBothDevices() throws Exception {
        Path want = oneMachine(pipeline("augment-one", 2, BOTH_DEVICES, AUGMENTED_IDX), temp.resolve("augment-one"));
        Path got = barrier(pipeline("augment-spark", 2, "", AUGMENTED_IDX), temp.resolve("augment-spark"));
        sameCheckpoints(got, want, 2);
        JsonNode data = JSON.readTree(got.resolve("metrics.json").toFile()).path("stages").path("train").path("data");
        assertEquals(List.of("mirror", "crop"), JSON.convertValue(data.path("augment"), List.class), data.toString());
    }

    /**
     * The run folder a job killed after its first epoch leaves (its epoch-2 checkpoint removed from a
     * finished run; the cluster check kills a real driver), resubmitted with {@code --resume}.
     */
    @Test
    void aResubmittedFolderJobContinuesFromItsLastCheckpoint() throws Exception {
        Path file = pipeline("resume-spark", 2, "", FOLDER);
        Path first = barrier(file, temp.resolve("resume-spark"));
        try (Stream<Path> epoch2 = Files.walk(first.resolve("checkpoints/epoch-0002"))) {
            epoch2.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        Path resumed = barrier(file, temp.resolve("resume-spark"), "--resume", first.toString());
        assertEquals(first, resumed);
        assertTrue(Files.readString(resumed.resolve("log.txt")).matches("(?s).*train: resumed from \\S*epoch-0001 \\(epoch 1.*"),
                "member 0 restores epoch 1's checkpoint");
        sameCheckpoints(resumed, folderReference(), 2);
    }
}
