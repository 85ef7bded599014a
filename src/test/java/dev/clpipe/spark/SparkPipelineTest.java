package dev.clpipe.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.data.ImageFolderSource;
import dev.clpipe.data.ImageRef;
import dev.clpipe.data.TestDataGenerator;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import dev.clpipe.pipeline.StageRegistry;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs convert-folder on a generated folder (39 files: 27 good or odd, 12 broken) once on one machine
 * ({@link PipelineRun}) and once on Spark in local mode, and requires the same written images
 * byte for byte, the same skipped.csv, and one Parquet row per image; then again with a task
 * that fails on its first attempt, which Spark retries without duplicate outputs.
 */
class SparkPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String YAML = """
            name: convert
            input: my photos ü
            batch: 4
            stages:
              - id: read
                type: image-folder
              - id: decode
                type: decode
                channels: 3
              - id: write
                type: write-images
                format: png
            """;

    @TempDir
    static Path temp;
    static SparkSession spark;
    static Path yaml;
    static Path oneMachine;

    @BeforeAll
    static void start() throws Exception {
        SparkLogging.cap(Level.WARN);
        // Up to 3 attempts per task, as a cluster's spark.task.maxFailures would allow.
        spark = SparkSession.builder().master("local[2,3]").appName("clpipe-test")
                .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1").config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.codegen.wholeStage", "false") // small data: compiling generated code costs more than it saves
                .config("spark.sql.files.maxPartitionBytes", "8192").config("spark.sql.files.openCostInBytes", "256")
                .getOrCreate();
        TestDataGenerator.generate(temp.resolve("my photos ü"), 10);
        yaml = Files.writeString(temp.resolve("convert.yaml"), YAML);
        Pipeline pipeline = Pipeline.plan(new ConfigLoader().load(yaml, Map.of("out", temp.resolve("one").toString()), List.of()),
                BuiltinStages.registry());
        oneMachine = PipelineRun.execute(pipeline, Optional.empty(), ClRuntime::standard, List.of("test")).folder().path();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void sparkSubmitsMainClassWritesTheSameImagesAndSkipsTheSameFilesAsOneMachine() throws Exception {
        Path out = temp.resolve("spark");
        String[] args = {yaml.toString(), "--input", temp.resolve("my photos ü").toString(), "--out", out.toString(), "--set", "batch=8"};
        assertEquals(0, SparkPipeline.run(args, name -> spark));
        Path run;
        try (Stream<Path> runs = Files.list(out)) {
            run = runs.findFirst().orElseThrow();
        }
        assertSameOutputs(run);
        assertTrue(spark.read().parquet(run.resolve(SparkRun.RESULTS).toString()).rdd().getNumPartitions() > 1, "work was split");
        Map<String, Long> expectedIndex = new HashMap<>();
        long i = 0;
        for (ImageRef ref : ImageFolderSource.of(temp.resolve("my photos ü"))) expectedIndex.put(ref.name(), i++);
        Map<String, Long> index = new HashMap<>();
        for (Row r : results(run)) index.put(r.getString(0), r.getLong(1));
        assertEquals(expectedIndex, index, "items are numbered in the one-machine order");

        Row grey = results(run).stream().filter(r -> r.getString(0).equals("odd/grey.png")).findFirst().orElseThrow();
        assertEquals(List.of("ok", 9, 7, "{}"), List.of(grey.getString(2), grey.getInt(5), grey.getInt(6), grey.getString(7)));

        JsonNode metrics = JSON.readTree(run.resolve("metrics.json").toFile());
        assertEquals(39, metrics.path("stages").path("read").path("items").asLong());
        assertEquals(38, metrics.path("stages").path("decode").path("items").asLong(), "Spark never reads the empty file");
        assertEquals(27, metrics.path("stages").path("write").path("items").asLong());
        assertEquals(12, metrics.path("spark").path("accumulated_skipped").asLong());
        assertEquals("ok", JSON.readTree(run.resolve("run.json").toFile()).path("status").asText());
    }

    @Test
    void usageAndPlanErrorsExitWithTwoAndAMissingFolderWithFour() {
        assertEquals(2, SparkPipeline.run(new String[] {temp.resolve("missing.yaml").toString()}, name -> spark));
        assertEquals(2, SparkPipeline.run(new String[] {yaml.toString(), "--set", "stages[read].shard=0/2"}, name -> spark));
        assertEquals(2, SparkPipeline.run(new String[] {yaml.toString(), "--no-such-flag"}, name -> spark));
        assertEquals(4, SparkPipeline.run(new String[] {yaml.toString(), "--input", temp.resolve("nowhere").toString(),
            "--out", temp.resolve("nowhere-out").toString()}, name -> spark), "a missing input folder is a data error");
    }

    @Test
    void aTaskThatFailsIsRetriedWithoutDuplicateOutputs() throws Exception {
        SparkRun.Result result = runSpark("retry", SparkPipelineTest::failingOnce);
        assertSameOutputs(result.folder().path());
        assertTrue(FailOnceStage.failures() > 0, "a first attempt failed after writing its images");
    }

    @Test
    void aJobWhoseTasksKeepFailingLeavesAFailedRunRecordAndPartialMetrics() throws Exception {
        Path file = Files.writeString(temp.resolve("always.yaml"), YAML + "  - {id: fail, type: fail-once, always: true}\n");
        Map<String, String> flags = Map.of("out", temp.resolve("always").toString());
        SparkJobSpec.RegistryFactory registry = SparkPipelineTest::failingOnce;
        Pipeline pipeline = Pipeline.plan(new ConfigLoader().load(file, flags, List.of()), registry.create());
        SparkJobSpec.Builder job = new SparkJobSpec.Builder(file.toString(), List.of(), Optional.empty(), registry, List.of());
        assertThrows(Exception.class, () -> SparkRun.execute(spark, pipeline, job, Optional.empty()));
        Path run;
        try (Stream<Path> runs = Files.list(temp.resolve("always"))) {
            run = runs.findFirst().orElseThrow();
        }
        assertEquals("failed", JSON.readTree(run.resolve("run.json").toFile()).path("status").asText());
        assertEquals("failed", JSON.readTree(run.resolve("metrics.json").toFile()).path("spark").path("status").asText());
        assertFalse(Files.exists(run.resolve(StagingFolder.NAME)), "staging removed");
    }

    /**
     * detect-faces on a few photos, split over several tasks: detections.jsonl is merged from
     * every task on the driver, byte-equal to one machine's (before,
     * each batch moved the shared file into the run folder, in processing order, and parts could
     * replace one another); a stage whose result needs every image (ground-truth scores) is
     * refused with exit 2 before the job starts.
     */
    @Test
    void detectionLinesAreMergedFromEveryTaskAsOneMachineWritesThem() throws Exception {
        Path models = dev.clpipe.detect.face.RealFaceData.models().toAbsolutePath();
        Path visp = dev.clpipe.detect.face.RealFaceData.visp().toAbsolutePath();
        Path photos = Files.createDirectories(temp.resolve("faces in"));
        Path data = visp.getParent();
        Files.createDirectories(photos.resolve("b"));
        Files.copy(visp.resolve("Solvay_conference_1927_Version2_640x440.jpg"), photos.resolve("b/solvay.jpg"));
        Files.copy(data.resolve("opencv/messi5.jpg"), photos.resolve("messi5.jpg"));
        Files.copy(data.resolve("opencv/baboon.jpg"), photos.resolve("baboon.jpg"));
        String faces = """
                name: faces
                device: cpu
                batch: 2
                stages:
                  - {id: read, type: image-folder}
                  - {id: decode, type: decode, channels: 3}
                  - {id: detect, type: detect-faces, models: "%1$s", input_size: 320, batch: 2%2$s}
                """;
        Path file = Files.writeString(temp.resolve("faces.yaml"), faces.formatted(models, ""));
        Pipeline pipeline = Pipeline.plan(new ConfigLoader().load(file, Map.of("input", photos.toString(),
                "out", temp.resolve("faces-one").toString()), List.of()), BuiltinStages.registry());
        Path one = PipelineRun.execute(pipeline, Optional.empty(), ClRuntime::standard, List.of("test")).folder().path();

        Path out = temp.resolve("faces-spark");
        assertEquals(0, SparkPipeline.run(new String[] {file.toString(), "--input", photos.toString(), "--out", out.toString()}, name -> spark));
        Path run;
        try (Stream<Path> runs = Files.list(out)) {
            run = runs.findFirst().orElseThrow();
        }
        assertTrue(spark.read().parquet(run.resolve(SparkRun.RESULTS).toString()).rdd().getNumPartitions() > 1, "work was split");
        assertEquals(3, Files.readAllLines(one.resolve("detections.jsonl")).size());
        assertEquals(Files.readString(one.resolve("detections.jsonl")), Files.readString(run.resolve("detections.jsonl")),
                "detections.jsonl as one machine writes it");
        JsonNode oneStages = JSON.readTree(one.resolve("metrics.json").toFile()).path("stages");
        JsonNode sparkStages = JSON.readTree(run.resolve("metrics.json").toFile()).path("stages");
        for (String stage : List.of("decode", "detect")) {
            assertEquals(oneStages.path(stage).path("items").asLong(), sparkStages.path(stage).path("items").asLong(), stage + " items");
        }

        String truth = ", ground_truth: {format: visp, file: \"" + visp.resolve("ground_truth_detection.txt") + "\", image: "
                + dev.clpipe.detect.face.RealFaceData.SOLVAY + "}";
        Path scored = Files.writeString(temp.resolve("faces-scored.yaml"), faces.formatted(models, truth));
        Path refusedOut = temp.resolve("faces-refused");
        assertEquals(2, SparkPipeline.run(new String[] {scored.toString(), "--input", photos.toString(), "--out", refusedOut.toString()},
                name -> spark), "ground-truth scores need every image");
        assertFalse(Files.exists(refusedOut), "refused before the job started");
    }

    private static StageRegistry failingOnce() {
        return SparkStages.of(BuiltinStages.registry()).register(new FailOnceStage());
    }

    private static SparkRun.Result runSpark(String out, SparkJobSpec.RegistryFactory registry) throws IOException {
        String yamlText = YAML + "  - id: fail\n    type: fail-once\n";
        Path file = Files.writeString(temp.resolve(out + ".yaml"), yamlText);
        Map<String, String> flags = Map.of("out", temp.resolve(out).toString());
        Pipeline pipeline = Pipeline.plan(new ConfigLoader().load(file, flags, List.of()), registry.create());
        SparkJobSpec.Builder job = new SparkJobSpec.Builder(file.toString(), List.of(), Optional.empty(), registry,
                List.of("test"));
        return SparkRun.execute(spark, pipeline, job, Optional.empty());
    }

    private static void assertSameOutputs(Path run) throws IOException {
        Map<String, byte[]> expected = files(oneMachine.resolve("images"));
        Map<String, byte[]> actual = files(run.resolve("images"));
        assertEquals(27, expected.size());
        assertEquals(expected.keySet(), actual.keySet(), "same image files");
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name + " byte-equal"));
        assertEquals(sortedLines(oneMachine.resolve("skipped.csv")), sortedLines(run.resolve("skipped.csv")));
        assertEquals(13, Files.readAllLines(run.resolve("skipped.csv")).size(), "12 skipped files and the header");
        assertFalse(Files.exists(run.resolve(StagingFolder.NAME)), "staging removed");
        List<Row> rows = results(run);
        assertEquals(39, rows.size(), "one row per image");
        assertEquals(39, rows.stream().map(r -> r.getString(0)).distinct().count(), "no duplicate rows");
        assertEquals(27, rows.stream().filter(r -> r.getString(2).equals("ok")).count(), "written: " + actual.keySet());
    }

    private static List<Row> results(Path run) {
        return spark.read().parquet(run.resolve(SparkRun.RESULTS).toString()).collectAsList();
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), Files.readAllBytes(p));
        }
        return out;
    }

    private static TreeSet<String> sortedLines(Path file) throws IOException {
        return Files.readAllLines(file).stream().collect(Collectors.toCollection(TreeSet::new));
    }
}
