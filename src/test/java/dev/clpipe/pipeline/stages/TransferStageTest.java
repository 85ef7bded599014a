package dev.clpipe.pipeline.stages;

import dev.clpipe.testing.Schemas;
import dev.clpipe.testing.MetricsJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfer learning through the runner, as pipelines/fashion-transfer.yaml does it: a pretrain
 * stage, a train stage that reuses its frozen layers with cached features (on gzipped IDX data),
 * and evaluate stages (plain, TTA, ensemble) on the whole-model checkpoint it writes. Job stages
 * report their items.
 */
class TransferStageTest {
    private static final String MODEL = TinyTraining.MODEL;

    private static void gzipAll(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f.resolveSibling(f.getFileName() + ".gz")))) {
                    Files.copy(f, out);
                }
                Files.delete(f);
            }
        }
    }

    private static Path pipeline(Path dir, String transfer) throws IOException {
        TinyTraining.writeIdx(dir.resolve("source"), "train", 96, 1);
        TinyTraining.writeIdx(dir.resolve("source"), "t10k", 40, 2);
        TinyTraining.writeIdx(dir.resolve("target"), "train", 80, 3);
        TinyTraining.writeIdx(dir.resolve("target"), "t10k", 36, 4);
        gzipAll(dir.resolve("target"));
        Files.writeString(dir.resolve("tiny.yaml"), MODEL);
        Path file = dir.resolve("transfer.yaml");
        Files.writeString(file, """
                name: tiny-transfer
                seed: 5
                out: runs
                stages:
                  - {id: pretrain, type: train, data: source, model: tiny.yaml, batch: 16, epochs: 2, optimizer: {type: sgd, lr: 0.05}}
                  - id: train
                    type: train
                    data: target
                    model: tiny.yaml
                    batch: 16
                    epochs: 3
                    optimizer: {type: sgd, lr: 0.05}
                    transfer: %s
                  - {id: score, type: evaluate, data: target, model: tiny.yaml, batch: 7}
                  - {id: tta, type: evaluate, data: target, model: tiny.yaml, tta: {crops: 5, shift: 1}}
                  - {id: ensemble, type: evaluate, data: target, model: tiny.yaml, ensemble: {last: 2}}
                """.formatted(transfer));
        return file;
    }

    private static PipelineRun.Result run(Path file) throws Exception {
        Pipeline p = Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry());
        return PipelineRun.execute(p, Optional.empty(), ClRuntime::standard, List.of("test"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainsAHeadOnCachedFeaturesAndWritesAWholeModelCheckpoint(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        Path file = pipeline(dir, "{from_stage: pretrain, freeze: 3, cache_features: true, cache_dir: %s}".formatted(cache));
        PipelineRun.Result result = run(file);
        assertEquals(PipelineRun.Status.OK, result.status());
        Schemas.assertRunFolderValid(result.folder().path());
        Map<String, Object> m = new ObjectMapper().readValue(result.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> stages = (Map<String, Object>) m.get("stages");
        assertEquals(2 * 96, ((Number) ((Map<String, Object>) stages.get("pretrain")).get("items")).intValue(), "pretrain: 2 epochs of 6 batches of 16");
        assertEquals(3 * 80, ((Number) ((Map<String, Object>) stages.get("train")).get("items")).intValue());
        assertEquals(36, ((Number) ((Map<String, Object>) stages.get("score")).get("items")).intValue());
        assertTrue(((Number) ((Map<String, Object>) stages.get("train")).get("items_per_s")).doubleValue() > 0);
        // the pretrain stage reports under its id and keeps its own checkpoints
        assertTrue(MetricsJson.stage(m, "pretrain").containsKey("test"));
        assertTrue(Files.isDirectory(result.folder().file("checkpoints-pretrain").resolve("epoch-0002")));
        Map<String, Object> training = (Map<String, Object>) MetricsJson.stage(m, "train").get("training");
        Map<String, Object> transfer = (Map<String, Object>) training.get("transfer");
        assertEquals(true, transfer.get("cached_features"));
        assertEquals("built", transfer.get("train_features"));
        // the checkpoint holds the frozen layers too: the whole model scores exactly as the head did
        Map<String, Object> test = (Map<String, Object>) MetricsJson.stage(m, "train").get("test");
        Map<String, Object> score = (Map<String, Object>) MetricsJson.stage(m, "score").get("evaluation");
        assertEquals(((Number) test.get("accuracy")).doubleValue(), ((Number) score.get("accuracy")).doubleValue(), 1e-9);
        assertEquals(((Number) test.get("loss")).doubleValue(), ((Number) score.get("loss")).doubleValue(), 1e-5);
        assertEquals(5, ((List<?>) ((Map<String, Object>) MetricsJson.stage(m, "tta").get("evaluation")).get("tta_views")).size());
        assertEquals(2, ((List<?>) ((Map<String, Object>) MetricsJson.stage(m, "ensemble").get("evaluation")).get("ensemble")).size());
        Path frozenWeights = result.folder().file("checkpoints").resolve("epoch-0003").resolve("conv1.weight.npy");
        Path pretrained = result.folder().file("checkpoints-pretrain").resolve("epoch-0002").resolve("conv1.weight.npy");
        assertEquals(-1, Files.mismatch(frozenWeights, pretrained), "frozen conv1 is the pretrained conv1, byte for byte");

        // a second run with the same pretrained weights hits the cache (same seed: the same pretrain)
        PipelineRun.Result again = run(file);
        Map<String, Object> m2 = new ObjectMapper().readValue(again.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> transfer2 = (Map<String, Object>) ((Map<String, Object>) MetricsJson.stage(m2, "train").get("training")).get("transfer");
        assertEquals("cache hit", transfer2.get("train_features"));
        assertEquals(((Map<String, Object>) MetricsJson.stage(m, "train").get("test")).get("accuracy"), ((Map<String, Object>) MetricsJson.stage(m2, "train").get("test")).get("accuracy"));
    }

    @Test
    void fineTuningWithoutFreezingRunsAndBadTransferKeysAreConfigErrors(@TempDir Path dir) throws Exception {
        PipelineRun.Result result = run(pipeline(dir, "{from_stage: pretrain, reuse: 3}"));
        assertEquals(PipelineRun.Status.OK, result.status());
        ConfigException e = assertThrows(ConfigException.class, () -> Pipeline.plan(new ConfigLoader().load(
                pipeline(dir.resolve("b"), "{from_stage: pretrain, reuse: 1, freeze: 3}")), BuiltinStages.registry()));
        assertTrue(e.getMessage().contains("freeze 3 > reuse 1"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Pipeline.plan(new ConfigLoader().load(
                pipeline(dir.resolve("c"), "{freeze: 3}")), BuiltinStages.registry()));
        assertTrue(e.getMessage().contains("from_stage"), e.getMessage());
    }
}
