package dev.clpipe.face.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.nn.io.FaceApiModels;
import dev.clpipe.nn.io.ReferenceFaceNet;
import dev.clpipe.testing.Tolerance;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedder (crops, landmark decoding, dlib-style alignment, batching) against what face-api
 * 1.7.15 computed for the whole pipeline on a synthetic 150x200 image
 * ({@code nn/io/face-api-golden.json}, "pipeline"): given face-api's detection boxes, the
 * landmarks, the descriptor rectangle (exactly) and the descriptors must match. The networks
 * are the plain-Java reference passes with the real weights.
 */
class FaceEmbedderTest {
    private static JsonNode golden;
    private static Path models;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = FaceEmbedderTest.class.getResourceAsStream("/nn/io/face-api-golden.json")) {
            if (in == null) fail("test resource nn/io/face-api-golden.json is missing");
            golden = new ObjectMapper().readTree(in).get("pipeline");
        }
        models = FaceApiModels.defaultFolder();
        List<String> missing = FaceApiModels.missing(models);
        if (!missing.isEmpty() && Boolean.getBoolean("clpipe.faceModels.required")) fail("face-api models missing: " + missing);
        assumeTrue(missing.isEmpty(), "face-api models not found in " + models);
    }

    /** make-golden.mjs's synthetic image: ((x * 37 + y * 91 + c * 53) ^ (x * y)) & 255. */
    static RgbImage testImage(int h, int w) {
        float[] v = new float[h * w * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++) v[(y * w + x) * 3 + c] = ((x * 37 + y * 91 + c * 53) ^ (x * y)) & 255;
        return new RgbImage(w, h, v);
    }

    private static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) a.get(i).asDouble();
        return f;
    }

    @Test
    void reproducesFaceApiLandmarksCropsAndDescriptors() throws Exception {
        RgbImage image = testImage(golden.get("height").asInt(), golden.get("width").asInt());
        int faces = golden.get("faces").size();
        List<FaceBox> boxes = new ArrayList<>();
        for (int i = 0; i < faces; i++) {
            JsonNode d = golden.get("detections").get(i);
            float[] b = floats(d.get("box"));
            boxes.add(new FaceBox(b[0], b[1], b[2], b[3], d.get("score").asDouble()));
        }
        try (FaceEmbedder embedder = new FaceEmbedder(ReferenceFaceNet.landmarks(models), ReferenceFaceNet.recognition(models), false, 1)) {
            FaceEmbedder.Result r = embedder.embed(image, boxes);
            assertEquals(List.of(), r.rejected());
            assertEquals(faces, r.faces().size());
            for (int i = 0; i < faces; i++) {
                JsonNode want = golden.get("faces").get(i);
                EmbeddedFace got = r.faces().get(i);
                Tolerance.FLOAT.assertClose(got.landmarks().xy(), floats(want.get("landmarks")), "face " + i + " landmarks");
                PixelRect c = got.descriptorCrop();
                Tolerance.EXACT.assertClose(new double[] {c.x(), c.y(), c.w(), c.h()}, toDoubles(floats(want.get("descriptorRect"))),
                        "face " + i + " descriptor crop");
                Tolerance.FLOAT.assertClose(got.descriptor(), floats(want.get("descriptor")), "face " + i + " descriptor");
            }
        }
    }

    @Test
    void mirrorAveragingStaysCloseToThePlainDescriptor() throws Exception {
        RgbImage image = testImage(golden.get("height").asInt(), golden.get("width").asInt());
        float[] b = floats(golden.get("detections").get(0).get("box"));
        List<FaceBox> one = List.of(new FaceBox(b[0], b[1], b[2], b[3], 1));
        try (FaceEmbedder plain = new FaceEmbedder(ReferenceFaceNet.landmarks(models), ReferenceFaceNet.recognition(models), false, 1);
             FaceEmbedder mirrored = new FaceEmbedder(ReferenceFaceNet.landmarks(models), ReferenceFaceNet.recognition(models), true, 1)) {
            float[] p = plain.embed(image, one).faces().get(0).descriptor();
            float[] m = mirrored.embed(image, one).faces().get(0).descriptor();
            float[] mirrorOnly = new float[p.length];
            for (int k = 0; k < p.length; k++) mirrorOnly[k] = 2 * m[k] - p[k]; // the mirrored view's own descriptor
            double d = 0;
            for (int k = 0; k < p.length; k++) d += (p[k] - mirrorOnly[k]) * (p[k] - mirrorOnly[k]);
            assertTrue(Math.sqrt(d) > 1e-4, "the mirrored crop must be a different input");
        }
    }

    @Test
    void tinyAndOutsideFacesAreRejectedWithAReason() throws Exception {
        RgbImage image = testImage(40, 60);
        try (FaceEmbedder embedder = new FaceEmbedder(ReferenceFaceNet.landmarks(models), ReferenceFaceNet.recognition(models), false, 12)) {
            FaceEmbedder.Result r = embedder.embed(image, List.of(new FaceBox(5, 5, 8, 8, 0.9), new FaceBox(100, 100, 20, 20, 0.9)));
            assertEquals(0, r.faces().size());
            assertEquals(2, r.rejected().size());
            assertTrue(r.rejected().get(0).reason().contains("smaller than min_face_size 12"), r.rejected().get(0).reason());
            assertTrue(r.rejected().get(1).reason().contains("outside the image"), r.rejected().get(1).reason());
        }
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
