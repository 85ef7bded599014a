package dev.clpipe.detect.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.data.ImageData;
import dev.clpipe.detect.Detection;
import dev.clpipe.nn.io.FaceApiModels;
import dev.clpipe.nn.io.TinyFaceDetectorWeights;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link FaceDetector} end to end (letterbox, resize, device net, decoding, NMS) against
 * detections face-api 1.7.15 computed in Node ({@code nn/io/face-api-golden.json}): scores and
 * boxes within {@link #TOL} (rel 1e-2, abs 5e-3 in units of the compared value; boxes are
 * pixels, so abs 5e-3 px), same count and order. Needs the real model files.
 */
class FaceDetectorTest {
    static final Tolerance TOL = Tolerance.FLOAT_LONG_SUM;
    private static JsonNode golden;
    private static TinyFaceDetectorWeights weights;

    @BeforeAll
    static void load() throws Exception {
        Path folder = FaceApiModels.defaultFolder();
        List<String> missing = FaceApiModels.missing(folder);
        String message = "face-api models not found in " + folder.toAbsolutePath() + " (missing " + missing + ")";
        if (!missing.isEmpty() && Boolean.getBoolean("clpipe.faceModels.required")) fail(message);
        assumeTrue(missing.isEmpty(), message);
        weights = TinyFaceDetectorWeights.load(folder);
        try (InputStream in = FaceDetectorTest.class.getResourceAsStream("/nn/io/face-api-golden.json")) {
            golden = new ObjectMapper().readTree(in);
        }
    }

    /** The golden generator's synthetic RGB image: ((x * 37 + y * 91 + c * 53) ^ (x * y)) & 255. */
    static ImageData testImage(int h, int w) {
        byte[] p = new byte[h * w * 3];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int c = 0; c < 3; c++) {
            p[(y * w + x) * 3 + c] = (byte) (((x * 37 + y * 91 + c * 53) ^ (x * y)) & 255);
        }
        return new ImageData(w, h, 3, p);
    }

    static void assertSame(JsonNode want, List<Detection> got, double sx, double sy, String what) {
        assertEquals(want.size(), got.size(), what + ": number of detections");
        for (int i = 0; i < got.size(); i++) {
            JsonNode w = want.get(i);
            Detection d = got.get(i);
            TOL.assertClose(new double[] {d.score()}, new double[] {w.get("score").asDouble()}, what + " " + i + " score");
            double[] box = new double[4];
            for (int k = 0; k < 4; k++) box[k] = w.get("box").get(k).asDouble() * (k % 2 == 0 ? sx : sy);
            TOL.assertClose(d.box().toTopLeft(), box, what + " " + i + " box (x, y, w, h)");
            assertEquals("face", d.label());
        }
    }

    private FaceDetector detector(int inputSize, double threshold) {
        return new FaceDetector(TestDevices.context(), weights, FaceDetectorOptions.DEFAULT.withInputSize(inputSize).withScoreThreshold(threshold).withBatch(4));
    }

    @Test
    void paddedImageMatchesFaceApi() {
        JsonNode g = golden.get("tinyFaceDetectorDetect"); // 96 x 128 padded at the bottom, no resize
        int h = g.get("height").asInt(), w = g.get("width").asInt();
        try (FaceDetector d = detector(g.get("inputSize").asInt(), g.get("scoreThreshold").asDouble())) {
            assertSame(g.get("detections"), d.detect(testImage(h, w)), w, h, "padded 96x128");
        }
    }

    @Test
    void resizedImageMatchesFaceApiAndBatchingChangesNothing() {
        JsonNode g = golden.get("pipeline"); // 150 x 200, letterboxed and resized to 128
        int h = g.get("height").asInt(), w = g.get("width").asInt();
        try (FaceDetector d = detector(g.get("inputSize").asInt(), g.get("scoreThreshold").asDouble())) {
            ImageData img = testImage(h, w);
            assertSame(g.get("detections"), d.detect(img), 1, 1, "resized 150x200");
            // Five images in one call: runs of 4 and 1, the same faces for each copy.
            List<ImageData> many = List.of(testImage(60, 90), img, testImage(300, 20), img, img);
            List<List<Detection>> all = d.detectAll(many);
            for (int i : new int[] {1, 3, 4}) assertSame(g.get("detections"), all.get(i), 1, 1, "image " + i + " of a batch");
            assertEquals(d.detect(many.get(2)), all.get(2));
        }
    }

    @Test
    void oddImagesAreHandled() {
        try (FaceDetector d = detector(128, 0.0001)) {
            List<ImageData> odd = new ArrayList<>();
            odd.add(new ImageData(1, 1, 1, new byte[] {(byte) 200}));                        // far smaller than the input
            odd.add(testImage(40, 3000));                                                    // a long strip
            ImageData grey = testImage(150, 200).withChannels(1);
            odd.add(grey);
            odd.add(testImage(150, 200).withChannels(4));                                    // alpha is dropped
            List<List<Detection>> all = d.detectAll(odd);
            for (int i = 0; i < odd.size(); i++) {
                for (Detection det : all.get(i)) {
                    assertTrue(det.score() > 0.0001 && det.score() <= 1, "score " + det);
                    assertTrue(Double.isFinite(det.box().width()) && det.box().width() > 0, "box " + det);
                }
            }
            // Grey is replicated to RGB: the same faces as its RGB expansion.
            assertEquals(all.get(2), d.detect(grey.withChannels(3)));
            assertEquals(d.detect(testImage(150, 200)), all.get(3));
        }
    }
}
