package dev.clpipe.pipeline.stages;

import static dev.clpipe.pipeline.PipelineRuns.plan;
import static dev.clpipe.pipeline.PipelineRuns.predictYaml;
import static dev.clpipe.pipeline.PipelineRuns.run;

import dev.clpipe.testing.Schemas;
import dev.clpipe.testing.MetricsJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.config.ConfigException;
import dev.clpipe.nn.LayerSpec;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Models;
import dev.clpipe.pipeline.PipelineRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code type: train} through the pipeline runner on a tiny IDX dataset: metrics.json and
 * checkpoints are written, a run resumed from its epoch-1 checkpoint ends with the same weights
 * as an uninterrupted run, and model files that do not fit are config errors with file:line.
 */
class TrainStageTest {
    private static Path pipeline(Path dir, int epochs, String model) throws IOException {
        TinyTraining.writeIdxData(dir);
        return TinyTraining.trainYaml(dir, "tiny-train", model, "", epochs,
                "    data: data\n    batch: 16\n    schedule: {type: step, step_epochs: 1, gamma: 0.5}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainsWritesMetricsAndResumesExactly(@TempDir Path dir) throws Exception {
        PipelineRun.Result whole = run(pipeline(dir, 2, TinyTraining.MODEL), Optional.empty());
        assertEquals(PipelineRun.Status.OK, whole.status());
        Schemas.assertRunFolderValid(whole.folder().path());
        Map<String, Object> metrics = new ObjectMapper().readValue(whole.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> test = (Map<String, Object>) MetricsJson.stage(metrics, "train").get("test");
        assertEquals(40, ((Number) test.get("count")).intValue());
        assertEquals(4, ((List<?>) test.get("confusion")).size());
        assertEquals(2, ((List<?>) ((Map<String, Object>) MetricsJson.stage(metrics, "train").get("train")).get("epochs")).size());
        for (String plot : List.of("loss.png", "accuracy.png")) {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(whole.folder().file(plot).toFile());
            assertEquals(640, image.getWidth(), plot);
        }
        java.awt.image.BufferedImage confusion = javax.imageio.ImageIO.read(whole.folder().file("confusion.png").toFile());
        assertEquals(confusion.getWidth(), confusion.getHeight(), "confusion.png is a square heat map");
        Path last = whole.folder().file("checkpoints").resolve("epoch-0002");
        assertTrue(Files.isRegularFile(last.resolve("index.json")));

        // evaluate: the checkpoint of that run scores the test split exactly as the last epoch did
        Path eval = dir.resolve("eval.yaml");
        Files.writeString(eval, """
                name: tiny-eval
                out: runs
                stages:
                  - {id: score, type: evaluate, data: data, model: tiny.yaml, checkpoint: %s, batch: 7}
                """.formatted(whole.folder().path()));
        PipelineRun.Result scored = run(eval, Optional.empty());
        Schemas.assertRunFolderValid(scored.folder().path());
        Map<String, Object> evalMetrics = new ObjectMapper().readValue(scored.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> score = (Map<String, Object>) MetricsJson.stage(evalMetrics, "score").get("evaluation");
        assertEquals(((Number) test.get("accuracy")).doubleValue(), ((Number) score.get("accuracy")).doubleValue(), 1e-9);
        assertEquals(((Number) test.get("loss")).doubleValue(), ((Number) score.get("loss")).doubleValue(), 1e-5);
        assertTrue(Files.isRegularFile(scored.folder().file("score-confusion.png")), "evaluate draws its confusion matrix");

        // a run stopped after epoch 1, then resumed with the full config (another epochs: --force-config)
        PipelineRun.Result first = run(pipeline(dir, 1, TinyTraining.MODEL), Optional.empty());
        PipelineRun.Result resumed = run(pipeline(dir, 2, TinyTraining.MODEL), Optional.of(first.folder().path()));
        assertEquals(first.folder().path(), resumed.folder().path());
        Path again = resumed.folder().file("checkpoints").resolve("epoch-0002");
        for (String tensor : List.of("conv1.weight.npy", "conv1.bias.npy", "dense1.weight.npy", "optimizer.dense1.weight.momentum.npy")) {
            assertArrayEquals(Files.readAllBytes(last.resolve(tensor)), Files.readAllBytes(again.resolve(tensor)), tensor);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void predictClassifiesAFolderOfImagesWithTheCheckpoint(@TempDir Path dir) throws Exception {
        PipelineRun.Result trained = run(pipeline(dir, 2, TinyTraining.MODEL), Optional.empty());
        Path images = dir.resolve("digits");
        Files.createDirectories(images);
        Random r = new Random(9);
        int[] truth = new int[8];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = i % 4;
            java.awt.image.BufferedImage im = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 64; p++) im.getRaster().setSample(p % 8, p / 8, 0, (p % 4 == truth[i] ? 200 : 20) + r.nextInt(40));
            javax.imageio.ImageIO.write(im, "png", images.resolve("img" + i + ".png").toFile());
        }
        Path file = predictYaml(dir, "digits", 3, 1, "model: tiny.yaml, checkpoint: %s, batch: 5, classes: [a, b, c, d], normalize: {mean: 0.1307, std: 0.3081}"
                .formatted(trained.folder().path()));
        PipelineRun.Result predicted = run(file, Optional.empty());
        assertEquals(PipelineRun.Status.OK, predicted.status());
        List<String> lines = Files.readAllLines(predicted.folder().file("predictions.jsonl"));
        assertEquals(8, lines.size());
        int correct = 0;
        for (String line : lines) {
            Map<String, Object> p = new ObjectMapper().readValue(line, Map.class);
            int i = Integer.parseInt(p.get("image").toString().replaceAll("\\D", ""));
            double sum = ((List<Number>) p.get("probs")).stream().mapToDouble(Number::doubleValue).sum();
            assertEquals(1.0, sum, 1e-4);
            assertEquals(List.of("a", "b", "c", "d").get(((Number) p.get("class")).intValue()), p.get("label"));
            if (((Number) p.get("class")).intValue() == truth[i]) correct++;
        }
        assertTrue(correct >= 6, correct + " of 8 right: " + lines);
        List<String> csv = Files.readAllLines(predicted.folder().file("predictions.csv"));
        assertEquals("image,label,class,score", csv.get(0));
        assertEquals(lines.size() + 1, csv.size(), "one CSV row per prediction");
        for (String line : lines) {
            Map<String, Object> p = new ObjectMapper().readValue(line, Map.class);
            String row = dev.clpipe.data.Csv.line(List.of(p.get("image"), p.get("label"), p.get("class"), ((Number) p.get("score")).doubleValue()));
            assertTrue(csv.contains(row), row + " in " + csv);
        }
    }

    @Test
    void aModelThatDoesNotFitIsAConfigErrorAtItsLine(@TempDir Path dir) throws Exception {
        String bad = TinyTraining.MODEL.replace("- {type: dense, units: 4}", "- {type: conv, filters: 4, kernel: 5}\n  - {type: dense, units: 4}");
        ConfigException e = assertThrows(ConfigException.class, () -> plan(pipeline(dir, 1, bad)));
        assertTrue(e.getMessage().contains("tiny.yaml") && e.getMessage().contains("tiny.yaml:8:") && e.getMessage().contains("5x5"), e.getMessage());
    }

    @Test
    void theZooResNetYamlsAreTheModelsTheBenchmarkTrains() {
        for (Map.Entry<String, ModelSpec> e : Map.of("resnet-mnist.yaml", Models.resnetMnist(), "resnet20-32px.yaml", Models.resnet20(),
                "resnet18-112px.yaml", Models.resnet18()).entrySet()) {
            ModelSpec yaml = ModelFile.read(Path.of("pipelines/models", e.getKey()));
            ModelSpec code = e.getValue();
            assertEquals(code.name(), yaml.name(), e.getKey());
            assertEquals(code.shapes(), yaml.shapes(), e.getKey());
            assertEquals(code.layers().stream().map(LayerSpec::describe).toList(), yaml.layers().stream().map(LayerSpec::describe).toList(), e.getKey());
            assertEquals(code.parameterCount(), yaml.parameterCount(), e.getKey());
        }
        assertEquals(270_410, Models.resnet20().parameterCount());
        assertEquals(81.10e6, Models.resnet20().forwardFlops(), 0.01e6); // ResNet-20's ~41 M multiply-adds
        assertEquals(new dev.clpipe.nn.Shape(1, 1, 256), Models.resnet18().outputOf(Models.resnet18().layers().size() - 2));
        assertTrue(Models.resnet20().summary().contains("MFLOP"), Models.resnet20().summary());
    }

    @Test
    void theShippedLenetYamlIsTheTextbookModel() {
        ModelSpec yaml = ModelFile.read(Path.of("pipelines/models/lenet5.yaml"));
        assertEquals(Models.lenet5().shapes(), yaml.shapes());
        assertEquals(61_706, yaml.parameterCount());
        ModelSpec resnet = ModelFile.read(Path.of("pipelines/models/resnet-mnist.yaml"));
        assertEquals(new dev.clpipe.nn.Shape(28, 28, 16), resnet.outputOf(3));
        assertTrue(resnet.summary().contains("block1") && resnet.summary().contains("residual ["), resnet.summary());
        ModelSpec inception = ModelFile.read(Path.of("pipelines/models/inception-mnist.yaml"));
        assertEquals(new dev.clpipe.nn.Shape(14, 14, 32), inception.outputOf(3));
    }
}
