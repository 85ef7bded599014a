package dev.clpipe.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.detect.face.RealFaceData;
import dev.clpipe.testing.Tolerance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole-network golden test: the plain-Java forward passes of {@link ReferenceFaceNets}, written
 * from docs/face-models.md, against the outputs face-api 1.7.15 itself computed
 * ({@code src/test/resources/nn/io/face-api-golden.json}; regenerate with make-golden.mjs next
 * to it). A mismatch means the document or the weight records are wrong. Needs the real model
 * files; skipped (or failed with {@code -Dclpipe.faceModels.required=true}) without them.
 */
class GoldenFaceNetsTest {
    private static JsonNode golden;
    private Path folder;

    @BeforeAll
    static void readGolden() throws IOException {
        try (InputStream in = GoldenFaceNetsTest.class.getResourceAsStream("/nn/io/face-api-golden.json")) {
            if (in == null) fail("test resource nn/io/face-api-golden.json is missing");
            golden = new ObjectMapper().readTree(in);
        }
    }

    @BeforeEach
    void findModels() {
        folder = RealFaceData.models();
    }

    private static float[] floats(JsonNode array) {
        float[] f = new float[array.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) array.get(i).asDouble();
        return f;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asInt()));
        return l;
    }

    @Test
    void tinyFaceDetectorRawOutput() throws TfjsFormatException {
        JsonNode g = golden.get("tinyFaceDetector");
        ReferenceLayers.Act out = ReferenceFaceNets.tinyFaceDetector(TinyFaceDetectorWeights.load(folder),
                ReferenceFaceIo.testImage(g.get("imageSize").asInt()));
        assertEquals(ints(g.get("shape")), ReferenceLayers.shapeOf(out));
        Tolerance.FLOAT.assertClose(out.v(), floats(g.get("values")), "tiny face detector conv8 output");
    }

    @Test
    void landmarkNetsRawOutput() throws TfjsFormatException {
        for (boolean tiny : new boolean[] {false, true}) {
            JsonNode g = golden.get(tiny ? "landmarks68Tiny" : "landmarks68");
            float[] out = ReferenceFaceNets.landmarks(FaceLandmark68Weights.load(folder, tiny),
                    ReferenceFaceIo.testImage(g.get("imageSize").asInt()));
            Tolerance.FLOAT.assertClose(out, floats(g.get("values")), (tiny ? "tiny " : "") + "landmark fc output");
        }
    }

    @Test
    void recognitionDescriptor() throws TfjsFormatException {
        JsonNode g = golden.get("recognition");
        float[] out = ReferenceFaceNets.recognition(FaceRecognitionWeights.load(folder),
                ReferenceFaceIo.testImage(g.get("imageSize").asInt()));
        Tolerance.FLOAT.assertClose(out, floats(g.get("values")), "face descriptor");
    }

    private static void assertDetections(JsonNode want, List<ReferenceFaceIo.Detection> got, String what) {
        assertEquals(want.size(), got.size(), what + ": number of detections");
        for (int i = 0; i < got.size(); i++) {
            JsonNode w = want.get(i);
            ReferenceFaceIo.Detection d = got.get(i);
            Tolerance.FLOAT.assertClose(new double[] {d.score()}, new double[] {w.get("score").asDouble()}, what + " " + i + " score");
            double[] box = new double[4];
            for (int k = 0; k < 4; k++) box[k] = w.get("box").get(k).asDouble();
            Tolerance.FLOAT.assertClose(d.box(), box, what + " " + i + " box (x, y, w, h)");
        }
    }

    @Test
    void tinyFaceDetectorDecodingAndNms() throws TfjsFormatException {
        JsonNode g = golden.get("tinyFaceDetectorDetect");
        int h = g.get("height").asInt(), w = g.get("width").asInt(), size = g.get("inputSize").asInt();
        ReferenceLayers.Act out = ReferenceFaceNets.tinyFaceDetector(TinyFaceDetectorWeights.load(folder),
                ReferenceFaceIo.padToSquare(ReferenceFaceIo.testImage(h, w), false));
        assertDetections(g.get("detections"), ReferenceFaceIo.decodeTiny(out, h, w, size, g.get("scoreThreshold").asDouble()),
                "tiny detection");
    }

    @Test
    void landmarkPostProcessingOnANonSquareCrop() throws TfjsFormatException {
        for (boolean tiny : new boolean[] {false, true}) {
            JsonNode g = golden.get(tiny ? "landmarks68TinyCrop" : "landmarks68Crop");
            int h = g.get("height").asInt(), w = g.get("width").asInt();
            float[] raw = ReferenceFaceNets.landmarks(FaceLandmark68Weights.load(folder, tiny),
                    ReferenceFaceIo.padToSquare(ReferenceFaceIo.testImage(h, w), true));
            Tolerance.FLOAT.assertClose(ReferenceFaceIo.landmarkPositions(raw, h, w), floats(g.get("relative")),
                    (tiny ? "tiny " : "") + "landmarks relative to the crop");
        }
    }

    /** One SSD forward pass (seconds in plain Java) shared by the two SSD tests. */
    private static ReferenceFaceNets.SsdOutput ssdOutput;

    private ReferenceFaceNets.SsdOutput ssd() throws TfjsFormatException {
        if (ssdOutput == null) {
            JsonNode g = golden.get("ssdMobilenetV1");
            ssdOutput = ReferenceFaceNets.ssd(SsdMobilenetV1Weights.load(folder), ReferenceFaceIo.padToSquare(
                    ReferenceFaceIo.testImage(g.get("height").asInt(), g.get("width").asInt()), false));
        }
        return ssdOutput;
    }

    @Test
    void ssdSelectionOnANonSquareImage() throws TfjsFormatException {
        JsonNode g = golden.get("ssdMobilenetV1Detect");
        JsonNode image = golden.get("ssdMobilenetV1");
        assertDetections(g.get("detections"), ReferenceFaceIo.selectSsd(ssd(), image.get("height").asInt(),
                image.get("width").asInt(), g.get("minConfidence").asDouble(), g.get("maxResults").asInt()), "SSD detection");
    }

    /** detectAllFaces(tiny detector).withFaceLandmarks().withFaceDescriptors(), docs §7, with resizing. */
    @Test
    void wholePipelineDetectLandmarksDescriptors() throws TfjsFormatException {
        JsonNode g = golden.get("pipeline");
        int h = g.get("height").asInt(), w = g.get("width").asInt(), size = g.get("inputSize").asInt();
        ReferenceLayers.Act img = ReferenceFaceIo.testImage(h, w);
        ReferenceLayers.Act out = ReferenceFaceNets.tinyFaceDetector(TinyFaceDetectorWeights.load(folder),
                ReferenceFaceIo.netInput(img, size, false));
        List<ReferenceFaceIo.Detection> found = ReferenceFaceIo.decodeTiny(out, h, w, size, g.get("scoreThreshold").asDouble());
        List<ReferenceFaceIo.Detection> pixels = new ArrayList<>();
        for (ReferenceFaceIo.Detection d : found) {
            double[] b = d.box();
            pixels.add(new ReferenceFaceIo.Detection(d.score(), new double[] {b[0] * w, b[1] * h, b[2] * w, b[3] * h}));
        }
        assertDetections(g.get("detections"), pixels, "pipeline detection");

        FaceLandmark68Weights marks = FaceLandmark68Weights.load(folder, false);
        FaceRecognitionWeights rec = FaceRecognitionWeights.load(folder);
        for (int i = 0; i < g.get("faces").size(); i++) {
            JsonNode face = g.get("faces").get(i);
            double[] box = pixels.get(i).box();
            ReferenceLayers.Act crop = ReferenceFaceIo.crop(img, box);
            float[] rel = ReferenceFaceIo.landmarkPositions(
                    ReferenceFaceNets.landmarks(marks, ReferenceFaceIo.netInput(crop, FaceLandmark68Weights.INPUT_SIZE, true)),
                    crop.h(), crop.w());
            float[] points = new float[rel.length];
            for (int k = 0; k < rel.length; k += 2) {
                points[k] = (float) (rel[k] * crop.w() + box[0]);      // shift by the unfloored detection box
                points[k + 1] = (float) (rel[k + 1] * crop.h() + box[1]);
            }
            Tolerance.FLOAT.assertClose(points, floats(face.get("landmarks")), "face " + i + " landmarks (image pixels)");
            double[] rect = ReferenceFaceIo.dlibRect(points, crop.w(), crop.h());
            double[] wantRect = new double[4];
            for (int k = 0; k < 4; k++) wantRect[k] = face.get("descriptorRect").get(k).asDouble();
            Tolerance.EXACT.assertClose(rect, wantRect, "face " + i + " descriptor crop rectangle");
            float[] descriptor = ReferenceFaceNets.recognition(rec,
                    ReferenceFaceIo.netInput(ReferenceFaceIo.crop(img, rect), FaceRecognitionWeights.INPUT_SIZE, true));
            Tolerance.FLOAT.assertClose(descriptor, floats(face.get("descriptor")), "face " + i + " descriptor");
        }
    }

    @Test
    void ssdBoxesAndScores() throws TfjsFormatException {
        JsonNode g = golden.get("ssdMobilenetV1");
        ReferenceFaceNets.SsdOutput out = ssd();
        List<Integer> anchors = ints(g.get("anchors"));
        float[] scores = new float[anchors.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = out.scores()[anchors.get(i)];
            Tolerance.FLOAT.assertClose(out.boxes()[anchors.get(i)], floats(g.get("boxes").get(i)), "SSD box of anchor " + anchors.get(i));
        }
        Tolerance.FLOAT.assertClose(scores, floats(g.get("scores")), "SSD scores");
    }
}
