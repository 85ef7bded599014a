package dev.clpipe.pipeline.stages;

import dev.clpipe.testing.Schemas;
import dev.clpipe.testing.MetricsJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.nn.io.FaceApiModels;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code type: style-transfer} through the pipeline runner with the real face-api networks on
 * small synthetic images: the outputs exist with the right sizes, the cost falls on average
 * (means over consecutive windows decrease) for both networks, and bad layer names are config
 * errors naming the key.
 */
class StyleTransferStageTest {
    private static Path models() {
        Path folder = FaceApiModels.defaultFolder().toAbsolutePath();
        String message = "face-api models not found in " + folder + ": run `datasets/fetch-face-models.sh data`";
        boolean present = FaceApiModels.missing(folder).isEmpty();
        if (!present && Boolean.getBoolean("clpipe.faceModels.required")) fail(message);
        assumeTrue(present, message);
        return folder;
    }

    private static Path pipeline(Path dir, String network, String layers) throws Exception {
        return pipeline(dir, network, layers, "adam");
    }

    private static Path pipeline(Path dir, String network, String layers, String optimizer) throws Exception {
        writeImage(dir.resolve("content.png"), (x, y) -> (x / 16 + y / 16) % 2 == 0 ? 0xE0E0E0 : 0x303060); // blocks
        writeImage(dir.resolve("style.png"), (x, y) -> ((x + 2 * y) / 5) % 2 == 0 ? 0xF0C020 : 0x1030A0); // diagonal stripes
        Path file = dir.resolve("style.yaml");
        Files.writeString(file, """
                name: style-test
                seed: 3
                out: runs
                stages:
                  - id: style
                    type: style-transfer
                    content: content.png
                    style: style.png
                    models: %s
                    network: %s
                    size: 64
                    iterations: 60
                    snapshots: 3
                    lr: 4
                    optimizer: %s
                    beta: %s
                %s
                """.formatted(models(), network, optimizer, network.equals("tiny_face_detector") ? "1.0e10" : "1.0e8", layers.indent(4)));
        return file;
    }

    private interface Paint {
        int rgb(int x, int y);
    }

    private static void writeImage(Path file, Paint paint) throws Exception {
        BufferedImage img = new BufferedImage(96, 72, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 72; y++) for (int x = 0; x < 96; x++) img.setRGB(x, y, paint.rgb(x, y));
        ImageIO.write(img, "png", file.toFile());
    }

    private static PipelineRun.Result run(Path file) throws Exception {
        Pipeline p = Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry());
        return PipelineRun.execute(p, Optional.empty(), ClRuntime::standard, List.of("test"));
    }

    @Test
    void ssdMobilenetTransferWritesOutputsAndLowersTheCost(@TempDir Path dir) throws Exception {
        check(dir, "ssd_mobilenetv1", """
                content_layer: conv4
                style_layers: [{layer: conv1, weight: 1}, {layer: conv3, weight: 1}, {layer: conv4, weight: 0.5}]
                """);
    }

    @Test
    void tinyFaceDetectorTransferLowersTheCost(@TempDir Path dir) throws Exception {
        check(dir, "tiny_face_detector", """
                content_layer: conv3
                style_layers: [{layer: conv0, weight: 1}, {layer: conv2/pw, weight: 1}, {layer: conv3, weight: 1}]
                """);
    }

    @Test
    void lbfgsTransferLowersTheCost(@TempDir Path dir) throws Exception {
        check(dir, "tiny_face_detector", """
                content_layer: conv3
                style_layers: [{layer: conv1, weight: 1}, {layer: conv3, weight: 1}]
                """, "lbfgs");
    }

    private static void check(Path dir, String network, String layers) throws Exception {
        check(dir, network, layers, "adam");
    }

    @SuppressWarnings("unchecked")
    private static void check(Path dir, String network, String layers, String optimizer) throws Exception {
        PipelineRun.Result result = run(pipeline(dir, network, layers, optimizer));
        assertEquals(PipelineRun.Status.OK, result.status());
        BufferedImage image = ImageIO.read(result.folder().file("result.png").toFile());
        assertEquals(64, image.getWidth()); // long side 64; 96x72 scales to 64x48, sides rounded to multiples of 32
        assertEquals(64, image.getHeight());
        BufferedImage strip = ImageIO.read(result.folder().file("steps.png").toFile());
        assertTrue(strip.getWidth() >= 3 * 64, "steps.png holds 3 frames: " + strip.getWidth());
        assertEquals(640, ImageIO.read(result.folder().file("cost.png").toFile()).getWidth());
        Schemas.assertRunFolderValid(result.folder().path());
        Map<String, Object> metrics = new ObjectMapper().readValue(result.folder().file("metrics.json").toFile(), Map.class);
        Map<String, Object> st = (Map<String, Object>) MetricsJson.stage(metrics, "style").get("style_transfer");
        List<Map<String, Object>> costs = (List<Map<String, Object>>) st.get("costs");
        assertEquals(61, costs.size(), "a cost per iteration plus the final one");
        assertEquals(optimizer, st.get("optimizer"));
        double[] window = new double[4];
        for (int i = 0; i < 60; i++) window[i / 15] += ((Number) costs.get(i).get("total")).doubleValue() / 15;
        for (int k = 1; k < window.length; k++) {
            assertTrue(window[k] < window[k - 1], network + ": mean cost of iterations " + 15 * k + ".." + (15 * k + 14) + " = " + window[k]
                    + " is not below the previous window's " + window[k - 1]);
        }
        assertTrue(((Number) st.get("final_cost")).doubleValue() < 0.5 * ((Number) st.get("initial_cost")).doubleValue(), network + ": cost at least halves");
    }

    @Test
    void unknownLayerIsAConfigErrorNamingTheKey(@TempDir Path dir) throws Exception {
        Path file = pipeline(dir, "ssd_mobilenetv1", """
                content_layer: conv4
                style_layers: [{layer: conv99, weight: 1}]
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry()));
        assertTrue(e.getMessage().contains("conv99") && e.getMessage().contains("layer"), e.getMessage());
    }
}
