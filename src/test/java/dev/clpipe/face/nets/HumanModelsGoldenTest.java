package dev.clpipe.face.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.GraphReference;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each imported human-models embedder, on the device (our kernels) and in plain Java
 * ({@link GraphReference}), against the vectors TensorFlow.js 4.22 (cpu backend) computed from the
 * same model files for three face crops of the Solvay photo ({@code faces/human-models/*-golden.json},
 * made at development time by {@code faces/human-models/make_golden.js}; TF.js does not run in CI).
 * The three crops go through as one batch. Tolerance FLOAT (0.5 % relative / 1e-3 absolute),
 * measured on the raw descriptor before L2 normalisation.
 */
class HumanModelsGoldenTest {
    @ParameterizedTest
    @EnumSource(value = EmbedderModel.class, names = {"FACERES", "MOBILEFACENET", "MOBILEFACE"})
    void importedNetMatchesTfjsOnTheDevice(EmbedderModel model) throws Exception {
        check(model, true);
    }

    /** The plain-Java evaluation of the same graphs (slow: naive loops over ~0.2-0.6 GFLOP per crop). */
    @org.junit.jupiter.api.Tag("slow")
    @ParameterizedTest
    @EnumSource(value = EmbedderModel.class, names = {"FACERES", "MOBILEFACENET", "MOBILEFACE"})
    void importedNetMatchesTfjsInPlainJava(EmbedderModel model) throws Exception {
        check(model, false);
    }

    private void check(EmbedderModel model, boolean onDevice) throws Exception {
        assumeFalse(TestDevices.underOclgrind(), "whole networks are too slow under Oclgrind; the ops are checked there");
        Path folder = EmbedderModel.defaultFolder();
        boolean present = model.files().stream().allMatch(f -> Files.isRegularFile(folder.resolve(f)));
        if (!present && Boolean.getBoolean("clpipe.faceModels.required")) fail(model.file() + " missing from " + folder);
        assumeTrue(present, model.file() + " not found in " + folder + " (make models)");

        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/faces/human-models/" + model.key() + "-golden.json")) {
            if (in == null) fail("golden vectors for " + model.key() + " are missing");
            golden = new ObjectMapper().readTree(in);
        }
        assertEquals(model.inputSize(), golden.get("size").asInt(), "input size");
        int size = model.inputSize(), per = size * size * 3, crops = golden.get("vectors").size();
        float[] batch = new float[crops * per];
        for (int i = 0; i < crops; i++) crop("/faces/human-models/face" + i + "-" + size + ".png", batch, i * per, size);

        Graph graph = model.graph(folder);
        int dim = graph.outputDims(0).size();
        float[] got;
        if (onDevice) {
            try (DeviceFaceNet net = new DeviceFaceNet(TestDevices.context(), graph, 2)) {
                got = net.forward(batch, crops); // 2 per chunk: the batch is split as in a run
            }
        } else {
            got = GraphReference.run(graph, batch, crops)[0];
        }
        for (int i = 0; i < crops; i++) {
            float[] want = floats(golden.get("vectors").get(i));
            assertEquals(want.length, dim, "descriptor size");
            Tolerance.FLOAT.assertClose(java.util.Arrays.copyOfRange(got, i * dim, (i + 1) * dim), want,
                    model.key() + " crop " + i + (onDevice ? " on the device" : " in plain Java"));
        }
    }

    /** A PNG crop as 0..255 RGB NHWC floats. */
    static void crop(String resource, float[] into, int offset, int size) throws Exception {
        BufferedImage img;
        try (InputStream in = HumanModelsGoldenTest.class.getResourceAsStream(resource)) {
            if (in == null) fail("test resource " + resource + " is missing");
            img = ImageIO.read(in);
        }
        assertEquals(size, img.getWidth(), resource);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) {
                int rgb = img.getRGB(x, y), o = offset + (y * size + x) * 3;
                into[o] = (rgb >> 16) & 255;
                into[o + 1] = (rgb >> 8) & 255;
                into[o + 2] = rgb & 255;
            }
    }

    private static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) a.get(i).asDouble();
        return f;
    }
}
