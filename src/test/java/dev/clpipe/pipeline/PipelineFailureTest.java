package dev.clpipe.pipeline;

import static dev.clpipe.pipeline.PipelineRuns.json;
import static dev.clpipe.pipeline.PipelineRuns.onlyRunFolder;
import static dev.clpipe.pipeline.PipelineRuns.plan;
import static dev.clpipe.pipeline.PipelineRuns.run;
import static dev.clpipe.pipeline.PipelineRuns.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clpipe.data.TestDataGenerator;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that fails ends, says so in run.json with the reason, and still writes its records. */
class PipelineFailureTest {
    @TempDir
    Path temp;

    @Test
    void aFailingStageEndsTheRunAsFailedAndStillWritesItsRecords() throws Exception {
        Path photos = temp.resolve("photos");
        TestDataGenerator.generate(photos, 10);
        Path file = yaml(temp, """
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
        Path folder = onlyRunFolder(temp);
        assertEquals("failed", json(folder.resolve("run.json")).get("status").asText());
        assertTrue(Files.isRegularFile(folder.resolve("metrics.json")));
    }

    @Test
    void anOutOfMemoryErrorInAStageEndsTheRunInsteadOfHangingIt() throws Exception {
        Path file = yaml(temp, """
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
        Path folder = onlyRunFolder(temp);
        JsonNode run = json(folder.resolve("run.json"));
        assertEquals("failed", run.get("status").asText());
        assertTrue(run.get("error").asText().startsWith("stage hog: out of memory"), run.toString());
        assertTrue(run.get("error").asText().contains("CLPIPE_JAVA_OPTS=-Xmx"), run.toString());
        assertTrue(json(folder.resolve("metrics.json")).get("stages").get("slow").get("items").asInt() <= 8);
        assertEquals("file,reason,message", Files.readAllLines(folder.resolve("skipped.csv")).get(0));
    }

    @Test
    void anEmptyInputFolderIsADataErrorNamingTheFolder() throws Exception {
        Files.createDirectories(temp.resolve("empty/sub"));
        Files.writeString(temp.resolve("empty/notes.txt"), "not an image");
        Path file = yaml(temp, """
                input: empty
                out: runs
                stages:
                  - {id: read, type: image-folder}
                  - {id: decode, type: decode}
                  - {id: write, type: write-images}
                """);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> run(plan(file, BuiltinStages.registry()), Optional.empty()));
        assertEquals("no image file (bmp, gif, jpeg, jpg, png) under " + temp.resolve("empty").toRealPath(), e.getMessage());
        JsonNode run = json(onlyRunFolder(temp).resolve("run.json"));
        assertEquals("failed", run.get("status").asText());
        assertEquals("stage read: " + e.getMessage(), run.get("error").asText());
    }
}
