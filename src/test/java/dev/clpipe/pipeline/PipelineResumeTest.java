package dev.clpipe.pipeline;

import static dev.clpipe.pipeline.PipelineRuns.convertYaml;
import static dev.clpipe.pipeline.PipelineRuns.filesUnder;
import static dev.clpipe.pipeline.PipelineRuns.json;
import static dev.clpipe.pipeline.PipelineRuns.plan;
import static dev.clpipe.pipeline.PipelineRuns.resume;
import static dev.clpipe.pipeline.PipelineRuns.run;
import static dev.clpipe.pipeline.PipelineRuns.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clpipe.data.TestDataGenerator;
import dev.clpipe.pipeline.stages.BuiltinStages;
import dev.clpipe.pipeline.stages.WriteImagesStage;
import dev.clpipe.testing.MetricsJson;
import dev.clpipe.testing.Schemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --resume: it continues where a stopped or crashed run left off, and refuses what would mix outputs. */
class PipelineResumeTest {
    @TempDir
    Path temp;

    /** Read, decode, stop after {@code stopAfter} batches (0 = never), {@code extra} stage lines, write telling stop-after when it is done. */
    private Path stoppingYaml(String name, int stopAfter, String extra) throws IOException {
        return yaml(temp, """
                name: %s
                input: photos
                out: runs
                batch: 5
                queue: 1
                stages:
                  - {id: read, type: image-folder}
                  - {id: decode, type: decode}
                  - {id: stop, type: stop-after, batches: %d}
                %s  - {id: write, type: write-images-then-signal}
                """.formatted(name, stopAfter, extra));
    }

    /** The built-in stages, stop-after, and the image writer that tells it when a batch is done. */
    private static StageRegistry stopping(StageType... more) {
        TestStages.StopAfter stop = new TestStages.StopAfter();
        StageRegistry registry = BuiltinStages.registry().register(stop).register(stop.signalling(new WriteImagesStage()));
        for (StageType t : more) registry.register(t);
        return registry;
    }

    @Test
    void anInterruptedRunResumesWhereItStoppedWithoutRedoingWork() throws Exception {
        Path photos = temp.resolve("photos");
        long good = TestDataGenerator.generate(photos, 30).values().stream().filter(v -> v == null).count();
        StageRegistry registry = stopping();
        PipelineRun.Result first = run(plan(stoppingYaml("resumable", 3, ""), registry), Optional.empty());
        assertEquals(PipelineRun.Status.INTERRUPTED, first.status());
        Path folder = first.folder().path();
        Set<String> written = filesUnder(folder.resolve("images"));
        // The first batch (some of its files broken) reached the writer before the stop; batches queued behind it are dropped.
        assertTrue(written.size() >= 1 && written.size() < good, "written after interrupt: " + written.size());
        long done = Files.readAllLines(folder.resolve("completed.txt")).size();
        assertEquals(written.size(), done);
        assertEquals("interrupted", json(folder.resolve("run.json")).get("status").asText());

        PipelineRun.Result second = resume(plan(stoppingYaml("resumable", 0, ""), registry), folder, true);
        assertEquals(PipelineRun.Status.OK, second.status());
        Set<String> all = filesUnder(folder.resolve("images"));
        assertEquals(good, all.size(), "every good image once");
        assertTrue(all.containsAll(written));
        Schemas.assertRunFolderValid(folder); // a resumed run: parts, first_started
        JsonNode metrics = json(folder.resolve("metrics.json"));
        assertEquals(good, metrics.get("stages").get("write").get("items").asLong(), "metrics.json covers both parts");
        assertEquals(2, metrics.get("parts").asInt());
        JsonNode record = json(folder.resolve("run.json"));
        assertEquals("[\"stages[stop].batches\"]", record.get("config_forced").toString());
        assertEquals(2, record.get("parts").asInt());
    }

    @Test
    void aResumeOfAPipelineWithAWholeStreamStageFeedsItEveryItemAgain() throws Exception {
        Path photos = temp.resolve("photos");
        long decodable = TestDataGenerator.generate(photos, 30).values().stream().filter(v -> v == null).count();
        String count = "  - {id: count, type: count-all}\n";
        StageRegistry registry = stopping(new TestStages.CountAll());
        PipelineRun.Result first = run(plan(stoppingYaml("whole", 2, count), registry), Optional.empty());
        assertEquals(PipelineRun.Status.INTERRUPTED, first.status());
        Path folder = first.folder().path();
        assertTrue(Files.readAllLines(folder.resolve("completed.txt")).size() > 0, "the first part finished some items");

        PipelineRun.Result second = resume(plan(stoppingYaml("whole", 0, count), registry), folder, true);
        assertEquals(PipelineRun.Status.OK, second.status());
        JsonNode metrics = json(folder.resolve("metrics.json"));
        assertEquals(decodable, MetricsJson.stage(metrics, "count").get("items_seen").asLong(), "the whole-stream stage saw every decodable item, not only the rest");
        assertEquals(decodable, filesUnder(folder.resolve("images")).size(), "every image written once");
        assertEquals(decodable, Files.readAllLines(folder.resolve("completed.txt")).size());
    }

    @Test
    void aResumeAfterACrashMidBatchReplacesUnjournalledOutputsAndLeavesNoTempFiles() throws Exception {
        TestDataGenerator.generate(temp.resolve("photos"), 30);
        StageRegistry registry = BuiltinStages.registry().register(new TestStages.StopAfter());
        Path reference = run(plan(convertYaml(temp, "crash", ""), registry), Optional.empty()).folder().path();
        Path folder = run(plan(convertYaml(temp, "crash", "  - {id: stop, type: stop-after, batches: 0}\n"), registry), Optional.empty()).folder().path();
        // As kill -9 mid-batch leaves it: outputs written but not journalled, a temp file, a dead lock file.
        List<String> done = Files.readAllLines(folder.resolve("completed.txt"));
        Files.write(folder.resolve("completed.txt"), done.subList(0, done.size() / 2));
        Files.writeString(folder.resolve("images/.half.png.x1y2.tmp"), "half");
        Files.writeString(folder.resolve(".lock"), "pid 1, host gone, started then");
        PipelineRun.Result resumed = resume(plan(convertYaml(temp, "crash", "  - {id: stop, type: stop-after, batches: 0}\n"), registry), folder, false);
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
        Path folder = run(plan(convertYaml(temp, "cfg", ""), BuiltinStages.registry()), Optional.empty()).folder().path();
        Path other = yaml(temp, Files.readString(convertYaml(temp, "cfg", "")).replace("batch: 4", "batch: 2").replace("write-images}", "write-images, format: jpg}"));
        dev.clpipe.config.ConfigException e = assertThrows(dev.clpipe.config.ConfigException.class,
                () -> resume(plan(other, BuiltinStages.registry()), folder, false));
        assertTrue(e.getMessage().contains("differs from the run's in batch, stages[write].format"), e.getMessage());
        assertEquals(PipelineRun.Status.OK, resume(plan(other, BuiltinStages.registry()), folder, true).status());
        assertTrue(Files.readString(folder.resolve("run.json")).contains("config_forced"));
    }

    @Test
    void aRunFolderHeldByAnotherRunIsRefusedNamingTheHolder() throws Exception {
        TestDataGenerator.generate(temp.resolve("photos"), 3);
        Path file = convertYaml(temp, "locked", "");
        Path folder = run(plan(file, BuiltinStages.registry()), Optional.empty()).folder().path();
        try (RunLock held = RunLock.acquire(folder)) {
            dev.clpipe.config.ConfigException e = assertThrows(dev.clpipe.config.ConfigException.class,
                    () -> resume(plan(file, BuiltinStages.registry()), folder, false));
            assertTrue(e.getMessage().contains("in use by another clpipe process (pid " + ProcessHandle.current().pid() + ", host "), e.getMessage());
        }
        assertEquals(PipelineRun.Status.OK, resume(plan(file, BuiltinStages.registry()), folder, false).status());
    }
}
