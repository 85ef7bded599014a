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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code type: train-embedding} through the pipeline runner: a tiny configuration of
 * pipelines/mnist-triplet.yaml on real MNIST (digits 0-6 for training, 7-9 never seen) must
 * separate the unseen digits clearly better than the untrained network (and than raw pixels);
 * config errors name the key. (Measured for this configuration: AUC 0.746 against 0.620
 * untrained and 0.672 for pixels; 3-way 1-shot 62.9% against 47.9%.)
 */
class TrainEmbeddingStageTest {
    private static final Path REPO = Path.of("").toAbsolutePath();

    private static PipelineRun.Result run(Path file) throws Exception {
        Pipeline p = Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry());
        return PipelineRun.execute(p, Optional.empty(), ClRuntime::standard, List.of("test"));
    }

    private static Path pipeline(Path dir, String data, String extra) throws Exception {
        Path file = dir.resolve("triplet.yaml");
        Files.writeString(file, """
                name: tiny-triplet
                seed: 3
                out: runs
                stages:
                  - id: embed
                    type: train-embedding
                    data: %s
                    model: %s
                    samples_per_class: 6
                    epochs: 1
                    optimizer: {type: adam, lr: 0.001}
                    limit_train: 9000
                    limit_test: 3000
                    validation: 600
                    pairs: 1500
                    trials: 1000
                %s""".formatted(data, REPO.resolve("pipelines/models/embed-mnist.yaml"), extra));
        return file;
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "CLPIPE_DATA", matches = ".+")
    @SuppressWarnings("unchecked")
    void trainedEmbeddingSeparatesUnseenDigitsBetterThanTheUntrainedNetwork(@TempDir Path dir) throws Exception {
        Path mnist = Path.of(System.getenv("CLPIPE_DATA")).resolve("mnist");
        PipelineRun.Result result = run(pipeline(dir, mnist.toString(), ""));
        assertEquals(PipelineRun.Status.OK, result.status());
        Schemas.assertRunFolderValid(result.folder().path());
        Map<String, Object> metrics = new ObjectMapper().readValue(result.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> oneShot = (Map<String, Object>) MetricsJson.stage(metrics, "embed").get("one_shot");
        Map<String, Object> trained = (Map<String, Object>) oneShot.get("verification");
        Map<String, Object> untrained = (Map<String, Object>) ((Map<String, Object>) oneShot.get("untrained")).get("verification");
        double auc = ((Number) trained.get("auc")).doubleValue(), auc0 = ((Number) untrained.get("auc")).doubleValue();
        assertTrue(auc > auc0 + 0.04, "unseen-digit AUC " + auc + " should clearly beat the untrained network's " + auc0);
        double aucPixels = ((Number) ((Map<String, Object>) ((Map<String, Object>) oneShot.get("pixels")).get("verification")).get("auc")).doubleValue();
        assertTrue(auc > aucPixels, "unseen-digit AUC " + auc + " vs raw pixels " + aucPixels);
        double id = ((Number) ((Map<String, Object>) oneShot.get("identification")).get("accuracy")).doubleValue();
        double id0 = ((Number) ((Map<String, Object>) ((Map<String, Object>) oneShot.get("untrained")).get("identification")).get("accuracy")).doubleValue();
        assertTrue(id > id0 && id > 0.5, "3-way 1-shot accuracy " + id + " vs untrained " + id0 + " (chance 1/3)");
        assertEquals(3000, ((Number) trained.get("pairs")).intValue());
        assertEquals(List.of(7, 8, 9), oneShot.get("unseen_classes"));
        // the seen digits' held-out images separate almost perfectly
        List<Map<String, Object>> validation = (List<Map<String, Object>>) ((Map<String, Object>) MetricsJson.stage(metrics, "embed").get("validation")).get("epochs");
        assertTrue(((Number) validation.get(0).get("auc")).doubleValue() > 0.97, "validation " + validation);
        for (String png : List.of("loss.png", "roc.png")) assertTrue(Files.size(result.folder().file(png)) > 1000, png);
        assertTrue(Files.isRegularFile(result.folder().file("checkpoints").resolve("epoch-0001").resolve("index.json")));
    }

    private static Path tinyPipeline(Path dir, int epochs) throws Exception {
        TinyTraining.writeIdx(dir.resolve("data"), "train", 240, 1, 6);
        TinyTraining.writeIdx(dir.resolve("data"), "t10k", 90, 2, 6);
        Files.writeString(dir.resolve("tiny.yaml"), """
                name: tiny-embedder
                input: {height: 8, width: 8, channels: 1}
                layers:
                  - {type: conv, filters: 4, kernel: 3, pad: 1}
                  - {type: relu}
                  - {type: maxpool, size: 2}
                  - {type: dense, units: 6}
                """);
        Path file = dir.resolve("tiny-triplet.yaml");
        Files.writeString(file, """
                name: tiny-triplet
                seed: 5
                out: runs
                stages:
                  - id: embed
                    type: train-embedding
                    data: data
                    model: tiny.yaml
                    train_classes: [0, 1, 2, 3]
                    unseen_classes: [4, 5]
                    classes_per_batch: 3
                    samples_per_class: 4
                    epochs: %d
                    optimizer: {type: sgd, lr: 0.05, momentum: 0.9}
                    check_every: 2
                    validation: 40
                    pairs: 50
                    trials: 20
                """.formatted(epochs));
        return file;
    }

    @Test
    @SuppressWarnings("unchecked")
    void resumedRunEndsWithTheWeightsOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
        PipelineRun.Result whole = run(tinyPipeline(dir, 2));
        assertEquals(PipelineRun.Status.OK, whole.status());
        PipelineRun.Result first = run(tinyPipeline(dir, 1));
        Pipeline again = Pipeline.plan(new ConfigLoader().load(tinyPipeline(dir, 2)), BuiltinStages.registry());
        PipelineRun.Result resumed = PipelineRun.execute(again, ClRuntime::standard, // another epochs: --force-config
                new PipelineRun.Options(Optional.of(first.folder().path()), false, List.of("test"), true));
        assertEquals(first.folder().path(), resumed.folder().path());
        Path a = whole.folder().file("checkpoints").resolve("epoch-0002"), b = resumed.folder().file("checkpoints").resolve("epoch-0002");
        for (String tensor : List.of("conv1.weight.npy", "dense1.weight.npy", "dense1.bias.npy", "optimizer.dense1.weight.momentum.npy")) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(a.resolve(tensor)), Files.readAllBytes(b.resolve(tensor)), tensor);
        }
        Map<String, Object> metrics = new ObjectMapper().readValue(resumed.folder().file("metrics.json").toFile(), Map.class);
        assertEquals(2, ((List<?>) ((Map<String, Object>) MetricsJson.stage(metrics, "embed").get("train")).get("epochs")).size(), "history of both epochs");
        Map<String, Object> oneShot = (Map<String, Object>) MetricsJson.stage(metrics, "embed").get("one_shot");
        assertEquals(2, ((Number) ((Map<String, Object>) oneShot.get("identification")).get("ways")).intValue());
        assertEquals(100, ((Number) ((Map<String, Object>) oneShot.get("verification")).get("pairs")).intValue());
    }

    @Test
    void unseenClassesThatWereTrainedOnAreAConfigError(@TempDir Path dir) throws Exception {
        Path file = pipeline(dir, "data", "    train_classes: [0, 1, 2]\n    unseen_classes: [2, 3]\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry()));
        assertTrue(e.getMessage().contains("unseen_classes") && e.getMessage().contains("triplet.yaml"), e.getMessage());
    }

    @Test
    void moreClassesPerBatchThanTrainClassesIsAConfigError(@TempDir Path dir) throws Exception {
        Path file = pipeline(dir, "data", "    train_classes: [0, 1, 2]\n    classes_per_batch: 4\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry()));
        assertTrue(e.getMessage().contains("classes_per_batch"), e.getMessage());
    }
}
