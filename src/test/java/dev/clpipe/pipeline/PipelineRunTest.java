package dev.clpipe.pipeline;

import dev.clpipe.testing.Schemas;
import dev.clpipe.testing.MetricsJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.data.TestDataGenerator;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineRunTest {
    @TempDir
    Path temp;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path yaml(String text) throws IOException {
        return Files.writeString(temp.resolve("p.yaml"), text);
    }

    private static Pipeline plan(Path file, StageRegistry registry) {
        return Pipeline.plan(new ConfigLoader().load(file), registry);
    }

    private static PipelineRun.Result run(Pipeline pipeline, Optional<Path> resume) throws Exception {
        return PipelineRun.execute(pipeline, resume, ClRuntime::standard, List.of("test"));
    }

    private static Set<String> filesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String png(String name) {
        return name.toLowerCase().endsWith(".png") ? name : name + ".png";
    }

    @Test
    void aFolderWithBrokenFilesWritesEveryGoodImageAndListsEveryBadOne() throws Exception {
        Path photos = temp.resolve("photos");
        Map<String, String> expected = TestDataGenerator.generate(photos, 1500); // thousands of images, a dozen kinds of broken files
        Path file = yaml("""
                name: convert
                input: photos
                out: runs
                batch: 37
                stages:
                  - {id: read, type: image-folder}
                  - {id: decode, type: decode}
                  - {id: write, type: write-images}
                """);
        PipelineRun.Result result = run(plan(file, BuiltinStages.registry()), Optional.empty());
        assertEquals(PipelineRun.Status.OK, result.status());
        Path folder = result.folder().path();
        assertTrue(folder.getFileName().toString().matches("convert-\\d{8}-\\d{6}"), folder.toString());

        Set<String> good = expected.entrySet().stream().filter(e -> e.getValue() == null)
                .map(e -> png(e.getKey())).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(good, filesUnder(folder.resolve("images")));

        List<String> skipped = Files.readAllLines(folder.resolve("skipped.csv"));
        assertEquals("file,reason,message", skipped.get(0));
        Map<String, String> bad = expected.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(bad.size(), skipped.size() - 1 + countSymlinkEscapes(bad), skipped.toString());
        for (Map.Entry<String, String> e : bad.entrySet()) {
            if (e.getValue().equals("symlink_escape")) continue; // reported by the walk, checked in the data tests
            assertTrue(skipped.stream().anyMatch(l -> l.startsWith(e.getKey() + "," + e.getValue() + ",")),
                    e + " missing from " + skipped);
        }
        assertEquals(bad.size() - countSymlinkEscapes(bad), result.skipped());

        Schemas.assertRunFolderValid(folder);
        JsonNode metrics = JSON.readTree(folder.resolve("metrics.json").toFile());
        List<String> order = new java.util.ArrayList<>();
        metrics.get("stages").fieldNames().forEachRemaining(order::add);
        assertEquals(List.of("read", "decode", "write"), order);
        assertEquals(good.size(), metrics.get("stages").get("write").get("items").asInt());
        for (String field : List.of("seconds", "items", "items_per_s", "wait_fraction", "worker_seconds", "work_seconds")) {
            assertTrue(metrics.get("stages").get("decode").has(field), field);
        }
        // decode and write run their work on the worker pool and count it there
        assertTrue(metrics.get("stages").get("decode").get("worker_seconds").asDouble() > 0, metrics.toString());
        assertTrue(metrics.get("stages").get("write").get("worker_seconds").asDouble() > 0, metrics.toString());
        JsonNode run = JSON.readTree(folder.resolve("run.json").toFile());
        assertEquals("ok", run.get("status").asText());
        // which codec ran is never silent: the decoder of each format decoded, the encoder of each writing stage
        String jpeg = dev.clpipe.data.DecoderChoice.turboAvailable() ? "libjpeg-turbo" : "imageio";
        assertEquals(jpeg, run.get("decoders").get("JPEG").asText(), run.toString());
        assertEquals("imageio", run.get("decoders").get("PNG").asText(), run.toString());
        assertEquals("png-" + dev.clpipe.data.PngEncoder.deflater() + "-1", run.get("encoders").get("write").asText(), run.toString());
        assertEquals(42, run.get("seed").asInt());
        assertTrue(Files.readString(folder.resolve("config.yaml")).contains("write-images"));
        assertTrue(Files.size(folder.resolve("log.txt")) > 0);
    }

    private static int countSymlinkEscapes(Map<String, String> bad) {
        return (int) bad.values().stream().filter("symlink_escape"::equals).count();
    }

    @Test
    void anInterruptedRunResumesWhereItStoppedWithoutRedoingWork() throws Exception {
        Path photos = temp.resolve("photos");
        long good = TestDataGenerator.generate(photos, 30).values().stream().filter(v -> v == null).count();
        Path file = yaml("""
                name: resumable
                input: photos
                out: runs
                batch: 5
                queue: 1
                stages:
                  - {id: read, type: image-folder}
                  - {id: decode, type: decode}
                  - {id: stop, type: stop-after, batches: 3}
                  - {id: write, type: write-images}
                """);
        StageRegistry registry = BuiltinStages.registry().register(new TestStages.StopAfter());
        PipelineRun.Result first = run(plan(file, registry), Optional.empty());
        assertEquals(PipelineRun.Status.INTERRUPTED, first.status());
        Path folder = first.folder().path();
        Set<String> written = filesUnder(folder.resolve("images"));
        // The first batch (some of its files broken) reached the writer before the stop; batches queued behind it are dropped.
        assertTrue(written.size() >= 1 && written.size() < good, "written after interrupt: " + written.size());
        long done = Files.readAllLines(folder.resolve("completed.txt")).size();
        assertEquals(written.size(), done);
        assertEquals("interrupted", JSON.readTree(folder.resolve("run.json").toFile()).get("status").asText());

        Path unstopped = yaml(Files.readString(file).replace("batches: 3", "batches: 0"));
        PipelineRun.Result second = resume(plan(unstopped, registry), folder, true);
        assertEquals(PipelineRun.Status.OK, second.status());
        Set<String> all = filesUnder(folder.resolve("images"));
        assertEquals(good, all.size(), "every good image once");
        assertTrue(all.containsAll(written));
        Schemas.assertRunFolderValid(folder); // a resumed run: parts, first_started
        JsonNode metrics = JSON.readTree(folder.resolve("metrics.json").toFile());
        assertEquals(good, metrics.get("stages").get("write").get("items").asLong(), "metrics.json covers both parts");
        assertEquals(2, metrics.get("parts").asInt());
        JsonNode record = JSON.readTree(folder.resolve("run.json").toFile());
        assertEquals("[\"stages[stop].batches\"]", record.get("config_forced").toString());
        assertEquals(2, record.get("parts").asInt());
    }

    @Test
    void aResumeOfAPipelineWithAWholeStreamStageFeedsItEveryItemAgain() throws Exception {
        Path photos = temp.resolve("photos");
        long decodable = TestDataGenerator.generate(photos, 30).values().stream().filter(v -> v == null).count();
        String pipeline = """
                name: whole
                input: photos
                out: runs
                batch: 5
                queue: 1
                stages:
                  - {id: read, type: image-folder}
                  - {id: decode, type: decode}
                  - {id: stop, type: stop-after, batches: %d}
                  - {id: count, type: count-all}
                  - {id: write, type: write-images}
                """;
        StageRegistry registry = BuiltinStages.registry().register(new TestStages.StopAfter()).register(new TestStages.CountAll());
        PipelineRun.Result first = run(plan(yaml(pipeline.formatted(2)), registry), Optional.empty());
        assertEquals(PipelineRun.Status.INTERRUPTED, first.status());
        Path folder = first.folder().path();
        assertTrue(Files.readAllLines(folder.resolve("completed.txt")).size() > 0, "the first part finished some items");

        PipelineRun.Result second = resume(plan(yaml(pipeline.formatted(0)), registry), folder, true);
        assertEquals(PipelineRun.Status.OK, second.status());
        JsonNode metrics = JSON.readTree(folder.resolve("metrics.json").toFile());
        assertEquals(decodable, MetricsJson.stage(metrics, "count").get("items_seen").asLong(), "the whole-stream stage saw every decodable item, not only the rest");
        assertEquals(decodable, filesUnder(folder.resolve("images")).size(), "every image written once");
        assertEquals(decodable, Files.readAllLines(folder.resolve("completed.txt")).size());
    }

    private static PipelineRun.Result resume(Pipeline pipeline, Path folder, boolean forceConfig) throws Exception {
        return PipelineRun.execute(pipeline, ClRuntime::standard, new PipelineRun.Options(Optional.of(folder), false, List.of("test"), forceConfig));
    }

    private Path convertYaml(String name, String extra) throws IOException {
        return yaml("""
                name: %s
                input: photos
                out: runs
                batch: 4
                stages:
                  - {id: read, type: image-folder}
                  - {id: decode, type: decode}
                %s  - {id: write, type: write-images}
                """.formatted(name, extra));
    }

    @Test
    void aResumeAfterACrashMidBatchReplacesUnjournalledOutputsAndLeavesNoTempFiles() throws Exception {
        TestDataGenerator.generate(temp.resolve("photos"), 30);
        StageRegistry registry = BuiltinStages.registry().register(new TestStages.StopAfter());
        Path reference = run(plan(convertYaml("crash", ""), registry), Optional.empty()).folder().path();
        Path folder = run(plan(convertYaml("crash", "  - {id: stop, type: stop-after, batches: 0}\n"), registry), Optional.empty()).folder().path();
        // As kill -9 mid-batch leaves it: outputs written but not journalled, a temp file, a dead lock file.
        List<String> done = Files.readAllLines(folder.resolve("completed.txt"));
        Files.write(folder.resolve("completed.txt"), done.subList(0, done.size() / 2));
        Files.writeString(folder.resolve("images/.half.png.x1y2.tmp"), "half");
        Files.writeString(folder.resolve(".lock"), "pid 1, host gone, started then");
        PipelineRun.Result resumed = resume(plan(convertYaml("crash", "  - {id: stop, type: stop-after, batches: 0}\n"), registry), folder, false);
        assertEquals(PipelineRun.Status.OK, resumed.status());
        Set<String> files = filesUnder(reference.resolve("images"));
        assertEquals(files, filesUnder(folder.resolve("images")), "no temp file left");
        for (String f : files) {
            assertEquals(-1L, Files.mismatch(reference.resolve("images").resolve(f), folder.resolve("images").resolve(f)), f);
        }
        assertTrue(!Files.exists(folder.resolve(".lock")), "lock released");
        assertEquals(Files.readAllLines(reference.resolve("completed.txt")).stream().sorted().toList(),
                Files.readAllLines(folder.resolve("completed.txt")).stream().sorted().toList());
    }

    @Test
    void aResumeWithAnotherConfigIsRefusedListingTheKeys() throws Exception {
        TestDataGenerator.generate(temp.resolve("photos"), 5);
        Path folder = run(plan(convertYaml("cfg", ""), BuiltinStages.registry()), Optional.empty()).folder().path();
        Path other = yaml(Files.readString(convertYaml("cfg", "")).replace("batch: 4", "batch: 2").replace("write-images}", "write-images, format: jpg}"));
        dev.clpipe.config.ConfigException e = assertThrows(dev.clpipe.config.ConfigException.class,
                () -> resume(plan(other, BuiltinStages.registry()), folder, false));
        assertTrue(e.getMessage().contains("differs from the run's in batch, stages[write].format"), e.getMessage());
        assertEquals(PipelineRun.Status.OK, resume(plan(other, BuiltinStages.registry()), folder, true).status());
        assertTrue(Files.readString(folder.resolve("run.json")).contains("config_forced"));
    }

    @Test
    void aRunFolderHeldByAnotherRunIsRefusedNamingTheHolder() throws Exception {
        TestDataGenerator.generate(temp.resolve("photos"), 3);
        Path file = convertYaml("locked", "");
        Path folder = run(plan(file, BuiltinStages.registry()), Optional.empty()).folder().path();
        try (RunLock held = RunLock.acquire(folder)) {
            dev.clpipe.config.ConfigException e = assertThrows(dev.clpipe.config.ConfigException.class,
                    () -> resume(plan(file, BuiltinStages.registry()), folder, false));
            assertTrue(e.getMessage().contains("in use by another clpipe process (pid " + ProcessHandle.current().pid() + ", host "), e.getMessage());
        }
        assertEquals(PipelineRun.Status.OK, resume(plan(file, BuiltinStages.registry()), folder, false).status());
    }

    @Test
    void awkwardFileNamesAreAllWrittenWithoutCollisions() throws Exception {
        Path photos = temp.resolve("photos");
        Files.createDirectories(photos.resolve("sub"));
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(8, 6, java.awt.image.BufferedImage.TYPE_INT_RGB);
        List<String> names = List.of("a\\..\\..\\evil.png", "sub\\y.png", "sub/y.png", "new\nline.png", "b.jpg", "b.jpg.png", "B.PNG", "B.png");
        for (int i = 0; i < names.size(); i++) {
            img.setRGB(i, 0, 0xff0000 + i);
            javax.imageio.ImageIO.write(img, names.get(i).endsWith("jpg") ? "jpeg" : "png", photos.resolve(names.get(i)).toFile());
        }
        PipelineRun.Result result = run(plan(convertYaml("names", ""), BuiltinStages.registry()), Optional.empty());
        assertEquals(PipelineRun.Status.OK, result.status());
        assertEquals(new TreeSet<>(List.of("a\\..\\..\\evil.png", "sub\\y.png", "sub/y.png", "new\nline.png", "b.jpg.png.png", "b.jpg.png",
                "B.PNG.png", "B.png")), filesUnder(result.folder().path().resolve("images")));
        assertEquals(names.size(), Files.readAllLines(result.folder().path().resolve("completed.txt")).size());
    }

    @Test
    void aFailingStageEndsTheRunAsFailedAndStillWritesItsRecords() throws Exception {
        Path photos = temp.resolve("photos");
        TestDataGenerator.generate(photos, 10);
        Path file = yaml("""
                input: photos
                out: runs
                batch: 4
                stages:
                  - {id: read, type: image-folder}
                  - {id: boom, type: fail-after, batches: 2}
                """);
        StageRegistry registry = BuiltinStages.registry().register(new TestStages.FailAfter());
        Pipeline pipeline = plan(file, registry);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(pipeline, Optional.empty()));
        assertEquals("injected failure", e.getMessage());
        try (Stream<Path> runs = Files.list(temp.resolve("runs"))) {
            Path folder = runs.findFirst().orElseThrow();
            assertEquals("failed", JSON.readTree(folder.resolve("run.json").toFile()).get("status").asText());
            assertTrue(Files.isRegularFile(folder.resolve("metrics.json")));
        }
    }

    @Test
    void ctrlCDropsTheQueuedReadAheadInsteadOfProcessingIt() throws Exception {
        Path file = yaml("""
                out: runs
                batch: 1
                queue: 8
                stages:
                  - {id: count, type: counting-source, items: 1000}
                  - {id: stop, type: stop-after, batches: 20}
                  - {id: slow, type: slow-sink, delay_ms: 50}
                """);
        TestStages.CountingSource source = new TestStages.CountingSource();
        StageRegistry registry = BuiltinStages.registry().register(source).register(new TestStages.StopAfter())
                .register(new TestStages.SlowSink(source));
        PipelineRun.Result result = run(plan(file, registry), Optional.empty());
        assertEquals(PipelineRun.Status.INTERRUPTED, result.status());
        // The stop came with batch 20, queued behind up to 8 others at the slow sink: those are dropped (left for
        // --resume), so the sink handled fewer than 20; finishing the read-ahead first would handle 20 and more.
        assertTrue(source.consumed.get() < 20, "processed: " + source.consumed.get());
        assertEquals(source.consumed.get(), Files.readAllLines(result.folder().file("completed.txt")).size());
    }

    @Test
    void anOutOfMemoryErrorInAStageEndsTheRunInsteadOfHangingIt() throws Exception {
        Path file = yaml("""
                out: runs
                batch: 4
                queue: 2
                stages:
                  - {id: count, type: counting-source, items: 400}
                  - {id: hog, type: out-of-memory-after, batches: 3}
                  - {id: slow, type: slow-sink}
                """);
        TestStages.CountingSource source = new TestStages.CountingSource();
        StageRegistry registry = BuiltinStages.registry().register(source).register(new TestStages.OutOfMemoryAfter())
                .register(new TestStages.SlowSink(source));
        Pipeline pipeline = plan(file, registry);
        assertThrows(OutOfMemoryError.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(pipeline, Optional.empty())));
        try (Stream<Path> runs = Files.list(temp.resolve("runs"))) {
            Path folder = runs.findFirst().orElseThrow();
            JsonNode run = JSON.readTree(folder.resolve("run.json").toFile());
            assertEquals("failed", run.get("status").asText());
            assertTrue(run.get("error").asText().startsWith("stage hog: out of memory"), run.toString());
            assertTrue(run.get("error").asText().contains("CLPIPE_JAVA_OPTS=-Xmx"), run.toString());
            assertTrue(JSON.readTree(folder.resolve("metrics.json").toFile()).get("stages").get("slow").get("items").asInt() <= 8);
            assertEquals("file,reason,message", Files.readAllLines(folder.resolve("skipped.csv")).get(0));
        }
    }

    @Test
    void anEmptyInputFolderIsADataErrorNamingTheFolder() throws Exception {
        Files.createDirectories(temp.resolve("empty/sub"));
        Files.writeString(temp.resolve("empty/notes.txt"), "not an image");
        Path file = yaml("""
                input: empty
                out: runs
                stages:
                  - {id: read, type: image-folder}
                  - {id: decode, type: decode}
                  - {id: write, type: write-images}
                """);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> run(plan(file, BuiltinStages.registry()), Optional.empty()));
        assertEquals("no image file (bmp, gif, jpeg, jpg, png) under " + temp.resolve("empty").toRealPath(), e.getMessage());
        try (Stream<Path> runs = Files.list(temp.resolve("runs"))) {
            JsonNode run = JSON.readTree(runs.findFirst().orElseThrow().resolve("run.json").toFile());
            assertEquals("failed", run.get("status").asText());
            assertEquals("stage read: " + e.getMessage(), run.get("error").asText());
        }
    }

    @Test
    void aSlowStageHoldsTheSourceBackInsteadOfFillingMemory() throws Exception {
        Path file = yaml("""
                out: runs
                batch: 10
                queue: 2
                stages:
                  - {id: count, type: counting-source, items: 2000}
                  - {id: slow, type: slow-sink}
                """);
        TestStages.CountingSource source = new TestStages.CountingSource();
        StageRegistry registry = BuiltinStages.registry().register(source).register(new TestStages.SlowSink(source));
        PipelineRun.Result result = run(plan(file, registry), Optional.empty());
        assertEquals(PipelineRun.Status.OK, result.status());
        // In flight at most: queue (2 batches) + one batch in the sink + one being filled by the source.
        assertTrue(source.maxAhead() <= 4 * 10, "source ran " + source.maxAhead() + " items ahead of the sink");
        assertTrue(result.metrics().stages().get(0).waitFraction() > 0.5, "the source should mostly wait");
    }

    @Test
    void profilingRecordsEveryKernelLaunchInMetrics() throws Exception {
        Path file = yaml("""
                out: runs
                device: cpu
                batch: 10
                stages:
                  - {id: count, type: counting-source, items: 35}
                  - {id: scale, type: device-scale}
                """);
        StageRegistry registry = BuiltinStages.registry().register(new TestStages.CountingSource()).register(new TestStages.DeviceScale());
        PipelineRun.Result result = PipelineRun.execute(plan(file, registry), ClRuntime::standard,
                new PipelineRun.Options(Optional.empty(), true, List.of("test")));
        Schemas.assertRunFolderValid(result.folder().path());
        JsonNode kernels = JSON.readTree(result.folder().file("metrics.json").toFile()).get("kernels");
        JsonNode perKernel = kernels.elements().next();
        assertEquals(4, perKernel.get("scale").get("launches").asInt(), kernels.toString());
        JsonNode run = JSON.readTree(result.folder().file("run.json").toFile());
        assertTrue(run.get("devices").get(0).asText().contains("cpu"), run.toString());
    }
}
