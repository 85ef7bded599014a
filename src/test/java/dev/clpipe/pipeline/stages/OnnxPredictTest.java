package dev.clpipe.pipeline.stages;

import static dev.clpipe.pipeline.PipelineRuns.plan;
import static dev.clpipe.pipeline.PipelineRuns.predictYaml;
import static dev.clpipe.pipeline.PipelineRuns.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.config.ConfigException;
import dev.clpipe.data.ImageData;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.GraphBuilder;
import dev.clpipe.nn.graph.GraphReference;
import dev.clpipe.nn.graph.Padding;
import dev.clpipe.nn.graph.Value;
import dev.clpipe.nn.infer.Classifier;
import dev.clpipe.nn.onnx.OnnxExporter;
import dev.clpipe.nn.onnx.OnnxImporter;
import dev.clpipe.nn.onnx.OnnxNetwork;
import dev.clpipe.pipeline.PipelineRun;
import dev.clpipe.testing.MetricsJson;
import dev.clpipe.testing.Tolerance;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code type: predict} with {@code model: X.onnx}: the probabilities written equal the plain-Java
 * graph reference's on the same fitted, normalised images (softmax applied once: not again after a
 * model's own Softmax); {@code evaluate} and {@code train} take an ONNX model too.
 */
@Tag("kernel")
class OnnxPredictTest {
    static final Path ONNX = Path.of("src/test/resources/nn/onnx").toAbsolutePath();

    @ParameterizedTest
    @CsvSource({"lenet5, 1, 28, 28", "ops-mix17, 3, 11, 13"})
    @SuppressWarnings("unchecked")
    void predictWritesTheGraphsProbabilities(String name, int channels, int width, int height, @TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Random r = new Random(3);
        for (int i = 0; i < 5; i++) {
            BufferedImage im = new BufferedImage(width + i, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < height; y++) for (int x = 0; x < width + i; x++) im.setRGB(x, y, r.nextInt(0xFFFFFF));
            javax.imageio.ImageIO.write(im, "png", images.resolve("img" + i + ".png").toFile());
        }
        Path file = predictYaml(dir, "images", 2, channels, "model: %s, batch: 3, normalize: {mean: 0.5, std: 0.25}".formatted(ONNX.resolve(name + ".onnx")));
        PipelineRun.Result result = run(file, Optional.empty());
        assertEquals(PipelineRun.Status.OK, result.status());
        List<String> lines = Files.readAllLines(result.folder().file("predictions.jsonl"));
        assertEquals(5, lines.size());
        OnnxNetwork net = OnnxImporter.read(ONNX.resolve(name + ".onnx"));
        Shape input = new Shape(height, width, channels);
        boolean endsInSoftmax = name.startsWith("ops-mix");
        for (String line : lines) {
            Map<String, Object> p = new ObjectMapper().readValue(line, Map.class);
            List<Number> probs = (List<Number>) p.get("probs");
            float[] got = new float[probs.size()];
            for (int k = 0; k < got.length; k++) got[k] = probs.get(k).floatValue();
            ImageData image = ImageData.fromBufferedImage(javax.imageio.ImageIO.read(images.resolve(p.get("image").toString()).toFile()));
            float[] x = new float[input.size()];
            Classifier.fill(image, input, 0.5f, 0.25f, x, 0);
            float[] scores = GraphReference.run(net.graph(), x, 1)[0];
            float[] want = endsInSoftmax ? scores : Classifier.softmax(scores, 0, scores.length);
            Tolerance.FLOAT.assertClose(got, want, name + " " + p.get("image"));
        }
    }

    @Test
    void predictRefusesACheckpointBesideAnOnnxModel(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "name: p\nout: runs\nstages:\n  - {type: predict, model: " + ONNX.resolve("lenet5.onnx") + ", checkpoint: x}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> plan(file));
        assertTrue(e.getMessage().contains("an ONNX model carries its weights; drop 'checkpoint'"), e.getMessage());
    }

    /**
     * {@code evaluate} scores an ONNX model with its own weights: the loss and accuracy of the
     * plain-Java graph reference on the same normalised IDX images. {@code train} fine-tunes it
     * from those weights: with a learning rate of 1e-9 its test loss after one epoch is still the
     * file's (a fresh start would not be).
     */
    @Test
    @SuppressWarnings("unchecked")
    void evaluateScoresAndTrainFineTunesAnOnnxModel(@TempDir Path dir) throws Exception {
        TinyTraining.writeIdx(dir.resolve("data"), "train", 48, 1);
        TinyTraining.writeIdx(dir.resolve("data"), "t10k", 40, 2);
        Random r = new Random(9);
        GraphBuilder g = Graph.builder();
        Value x = g.input(8, 8, 1);
        x = g.maxPool("pool", g.relu("relu", g.conv("conv", x, gaussian(r, 9 * 4), gaussian(r, 4), 3, 3, 4, 1, Padding.explicit(1), 1)), 2, 2, Padding.VALID);
        Graph graph = g.build(g.dense("fc", x, gaussian(r, 64 * 4), gaussian(r, 4), 4));
        Path model = dir.resolve("tiny.onnx");
        Files.write(model, OnnxExporter.export(graph, List.of("logits"), true));
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, """
                name: onnx-train
                seed: 5
                out: runs
                stages:
                  - {id: evaluate, type: evaluate, data: data, model: tiny.onnx, normalize: {mean: 0.5, std: 0.25}}
                  - {id: train, type: train, data: data, model: tiny.onnx, batch: 16, epochs: 1, optimizer: {type: sgd, lr: 1e-9, momentum: 0},
                     normalize: {mean: 0.5, std: 0.25}}
                """);
        PipelineRun.Result result = run(file, Optional.empty());
        assertEquals(PipelineRun.Status.OK, result.status());
        Map<String, Object> metrics = new ObjectMapper().readValue(result.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> evaluation = (Map<String, Object>) MetricsJson.stage(metrics, "evaluate").get("evaluation");
        Map<String, Object> trained = (Map<String, Object>) MetricsJson.stage(metrics, "train").get("test");

        byte[] images = Files.readAllBytes(dir.resolve("data/t10k-images-idx3-ubyte")), labels = Files.readAllBytes(dir.resolve("data/t10k-labels-idx1-ubyte"));
        float[] in = new float[40 * 64];
        for (int i = 0; i < in.length; i++) in[i] = ((images[16 + i] & 0xFF) / 255f - 0.5f) / 0.25f;
        float[] logits = GraphReference.run(graph, in, 40)[0];
        double loss = 0;
        int hits = 0;
        for (int n = 0; n < 40; n++) {
            int label = labels[8 + n], best = 0;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < 4; c++) max = Math.max(max, logits[n * 4 + c]);
            for (int c = 0; c < 4; c++) {
                sum += Math.exp(logits[n * 4 + c] - max);
                if (logits[n * 4 + c] > logits[n * 4 + best]) best = c;
            }
            loss += (max + Math.log(sum) - logits[n * 4 + label]) / 40;
            if (best == label) hits++;
        }
        assertEquals(loss, ((Number) evaluation.get("loss")).doubleValue(), 1e-4 * (1 + loss), "evaluate's loss vs the graph reference's");
        assertEquals(hits / 40.0, ((Number) evaluation.get("accuracy")).doubleValue(), 1e-9);
        assertEquals(loss, ((Number) trained.get("loss")).doubleValue(), 1e-4 * (1 + loss), "train's test loss after a 1e-9 step vs the file's");
    }

    private static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian() * 0.5f;
        return a;
    }
}
