package dev.clpipe.face.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClContext;
import dev.clpipe.face.align.EmbeddedFace;
import dev.clpipe.face.align.FaceBox;
import dev.clpipe.face.align.FaceEmbedder;
import dev.clpipe.face.align.PixelRect;
import dev.clpipe.face.align.RgbImage;
import dev.clpipe.nn.io.FaceApiModels;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The landmark and recognition nets on the device (our kernels through nn.graph) against the
 * outputs face-api 1.7.15 itself computed ({@code nn/io/face-api-golden.json}): raw net outputs,
 * batched (the golden input repeated beside other inputs must give the same row), and the whole
 * embedder (landmarks in image pixels, the exact dlib crop, the descriptors) on the golden
 * pipeline image. Tolerance FLOAT (0.5 % relative / 1e-3 absolute).
 */
class FaceApiGraphsTest {
    private static JsonNode golden;
    private static Path models;

    @BeforeAll
    static void load() throws Exception {
        assumeFalse(TestDevices.underOclgrind(), "whole networks are too slow under Oclgrind; the ops are checked there");
        try (InputStream in = FaceApiGraphsTest.class.getResourceAsStream("/nn/io/face-api-golden.json")) {
            if (in == null) fail("test resource nn/io/face-api-golden.json is missing");
            golden = new ObjectMapper().readTree(in);
        }
        models = FaceApiModels.defaultFolder();
        List<String> missing = FaceApiModels.missing(models);
        if (!missing.isEmpty() && Boolean.getBoolean("clpipe.faceModels.required")) fail("face-api models missing: " + missing);
        assumeTrue(missing.isEmpty(), "face-api models not found in " + models);
    }

    private static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) a.get(i).asDouble();
        return f;
    }

    static float[] testImage(int size) {
        float[] v = new float[size * size * 3];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                for (int c = 0; c < 3; c++) v[(y * size + x) * 3 + c] = ((x * 37 + y * 91 + c * 53) ^ (x * y)) & 255;
        return v;
    }

    /** Batch of 3: a constant grey image, the golden image, its reverse; row 1 must match the golden output. */
    private static void checkBatched(DeviceFaceNet net, JsonNode g, String what) {
        int size = net.inputSize(), per = size * size * 3;
        float[] img = testImage(size);
        float[] batch = new float[3 * per];
        java.util.Arrays.fill(batch, 0, per, 128f);
        System.arraycopy(img, 0, batch, per, per);
        for (int i = 0; i < per; i++) batch[2 * per + i] = img[per - 1 - i];
        float[] out = net.forward(batch, 3);
        float[] row = java.util.Arrays.copyOfRange(out, net.outputSize(), 2 * net.outputSize());
        Tolerance.FLOAT.assertClose(row, floats(g.get("values")), what + " (batch of 3, row 1)");
        Tolerance.FLOAT.assertClose(net.forward(img, 1), floats(g.get("values")), what + " (batch of 1)");
    }

    @Test
    void landmarkNetMatchesFaceApi() throws Exception {
        ClContext cl = TestDevices.context();
        try (DeviceFaceNet net = DeviceFaceNet.landmarks(cl, models)) {
            assertEquals(112, net.inputSize());
            assertEquals(136, net.outputSize());
            checkBatched(net, golden.get("landmarks68"), "landmark fc output");
        }
    }

    @Test
    void recognitionNetMatchesFaceApi() throws Exception {
        ClContext cl = TestDevices.context();
        try (DeviceFaceNet net = DeviceFaceNet.recognition(cl, models)) {
            assertEquals(150, net.inputSize());
            assertEquals(128, net.outputSize());
            checkBatched(net, golden.get("recognition"), "face descriptor");
        }
    }

    @Test
    void wholeEmbedderOnTheDeviceMatchesFaceApi() throws Exception {
        JsonNode g = golden.get("pipeline");
        int h = g.get("height").asInt(), w = g.get("width").asInt();
        float[] v = new float[h * w * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++) v[(y * w + x) * 3 + c] = ((x * 37 + y * 91 + c * 53) ^ (x * y)) & 255;
        RgbImage image = new RgbImage(w, h, v);
        List<FaceBox> boxes = new ArrayList<>();
        for (int i = 0; i < g.get("faces").size(); i++) {
            float[] b = floats(g.get("detections").get(i).get("box"));
            boxes.add(new FaceBox(b[0], b[1], b[2], b[3], 1));
        }
        ClContext cl = TestDevices.context();
        try (FaceEmbedder embedder = new FaceEmbedder(DeviceFaceNet.landmarks(cl, models), DeviceFaceNet.recognition(cl, models), false, 1)) {
            List<EmbeddedFace> faces = embedder.embed(image, boxes).faces();
            assertEquals(boxes.size(), faces.size());
            for (int i = 0; i < faces.size(); i++) {
                JsonNode want = g.get("faces").get(i);
                Tolerance.FLOAT.assertClose(faces.get(i).landmarks().xy(), floats(want.get("landmarks")), "face " + i + " landmarks");
                PixelRect c = faces.get(i).descriptorCrop();
                float[] r = floats(want.get("descriptorRect"));
                assertEquals(List.of((int) r[0], (int) r[1], (int) r[2], (int) r[3]), List.of(c.x(), c.y(), c.w(), c.h()), "face " + i + " descriptor crop");
                Tolerance.FLOAT.assertClose(faces.get(i).descriptor(), floats(want.get("descriptor")), "face " + i + " descriptor");
            }
        }
    }
}
