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
import dev.clpipe.nn.graph.GraphReference;
import dev.clpipe.nn.onnx.OnnxImporter;
import dev.clpipe.nn.onnx.OnnxNetwork;
import dev.clpipe.pipeline.PipelineRun;
import dev.clpipe.testing.Tolerance;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * model's own Softmax); train/evaluate refuse an ONNX model (exit 2) saying why.
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
    void trainingStagesRefuseAnOnnxModelSayingWhy(@TempDir Path dir) throws Exception {
        List<String> refused = new ArrayList<>();
        for (String stage : List.of("{type: train, model: %s}", "{type: evaluate, model: %s}", "{type: predict, model: %s, checkpoint: x}")) {
            Path file = dir.resolve("p.yaml");
            Files.writeString(file, "name: p\nout: runs\nstages:\n  - " + stage.formatted(ONNX.resolve("lenet5.onnx")) + "\n");
            ConfigException e = assertThrows(ConfigException.class, () -> plan(file));
            refused.add(e.getMessage());
        }
        assertTrue(refused.get(0).contains("train needs a model YAML, not an ONNX file"), refused.get(0));
        assertTrue(refused.get(1).contains("evaluate needs a model YAML, not an ONNX file"), refused.get(1));
        assertTrue(refused.get(2).contains("an ONNX model carries its weights; drop 'checkpoint'"), refused.get(2));
    }
}
