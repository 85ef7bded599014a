package dev.clpipe.pipeline.stages;

import static dev.clpipe.pipeline.PipelineRuns.plan;
import static dev.clpipe.pipeline.PipelineRuns.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.config.ConfigException;
import dev.clpipe.pipeline.PipelineRun;
import dev.clpipe.testing.MetricsJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code augment:} on IDX training data: the batches go through the augment kernels as a folder's
 * do (metrics name the ops and the data wait), the weights differ from an unaugmented run, and a
 * run resumed from its epoch-1 checkpoint draws the same variants and ends with the same weights.
 */
class IdxAugmentTest {
    private static Path pipeline(Path dir, String name, int epochs, String augment) throws IOException {
        TinyTraining.writeIdxData(dir);
        return TinyTraining.trainYaml(dir, name, TinyTraining.MODEL, "", epochs, "    data: data\n    batch: 16\n" + augment);
    }

    @Test
    @SuppressWarnings("unchecked")
    void augmentedIdxTrainingDiffersFromPlainAndResumesExactly(@TempDir Path dir) throws Exception {
        String augment = "    augment: {mirror: true, crop: {size: 8, padding: 1}}";
        PipelineRun.Result whole = run(pipeline(dir, "aug", 3, augment), Optional.empty());
        PipelineRun.Result plain = run(pipeline(dir, "plain", 3, ""), Optional.empty());
        assertEquals(PipelineRun.Status.OK, whole.status());
        Map<String, Object> stage = MetricsJson.stage(new ObjectMapper().readValue(whole.folder().file("metrics.json").toFile(), Map.class), "train");
        assertEquals(List.of("mirror", "crop"), ((Map<String, Object>) stage.get("data")).get("augment"));
        assertFalse((Boolean) ((Map<String, Object>) stage.get("training")).get("data_on_device"));
        Path last = whole.folder().file("checkpoints").resolve("epoch-0003");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(last.resolve("dense1.weight.npy")),
                Files.readAllBytes(plain.folder().file("checkpoints").resolve("epoch-0003").resolve("dense1.weight.npy"))), "augmentation changes training");

        PipelineRun.Result first = run(pipeline(dir, "aug", 1, augment), Optional.empty());
        PipelineRun.Result resumed = run(pipeline(dir, "aug", 3, augment), Optional.of(first.folder().path()));
        Path again = resumed.folder().file("checkpoints").resolve("epoch-0003");
        try (var tensors = Files.list(last)) {
            for (Path t : tensors.filter(p -> p.toString().endsWith(".npy")).toList()) {
                assertArrayEquals(Files.readAllBytes(t), Files.readAllBytes(again.resolve(t.getFileName())), t.getFileName().toString());
            }
        }
    }

    @Test
    void aViewOnIdxDataIsAConfigError(@TempDir Path dir) throws Exception {
        Path file = pipeline(dir, "view", 1, "    view: centre_crop");
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> plan(file));
        assertTrue(e.getMessage().contains("must already be the model's input size"), e.getMessage());
    }
}
