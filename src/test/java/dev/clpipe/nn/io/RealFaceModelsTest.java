package dev.clpipe.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.detect.face.RealFaceData;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real face-api 1.7.15 models (fetched by {@code datasets/fetch-face-models.sh data}): every
 * network loads with the shapes docs/face-models.md documents, and a few values agree with an
 * independent Python decode of the same files. Without the files these tests are SKIPPED with a
 * message saying how to fetch them; with {@code -Dclpipe.faceModels.required=true} (what
 * {@code make test} should pass after fetching) a missing file FAILS them instead.
 */
class RealFaceModelsTest {
    private static Path folder;

    /** Per test, not @BeforeAll: a skip in @BeforeAll shows as "Tests run: 0", which reads like a pass. */
    @BeforeEach
    void findModels() {
        folder = RealFaceData.models();
    }

    private static void assertSum(double want, float[] values) {
        double sum = 0;
        for (float v : values) sum += v;
        assertEquals(want, sum, 1e-6 * Math.max(1, Math.abs(want)), "sum of values");
    }

    @Test
    void manifestsHoldTheDocumentedTensorCounts() throws TfjsFormatException {
        Map<String, Integer> counts = Map.of(TinyFaceDetectorWeights.MANIFEST, 19, FaceLandmark68Weights.MANIFEST, 49,
                FaceLandmark68Weights.MANIFEST_TINY, 28, FaceRecognitionWeights.MANIFEST, 117, SsdMobilenetV1Weights.MANIFEST, 151);
        for (var e : counts.entrySet()) assertEquals(e.getValue(), TfjsWeights.read(folder.resolve(e.getKey())).size(), e.getKey());
    }

    @Test
    void tinyFaceDetector() throws TfjsFormatException {
        TinyFaceDetectorWeights w = TinyFaceDetectorWeights.load(folder);
        assertArrayEquals(new int[] {3, 3, 3, 16}, w.conv0().filter().shape());
        assertEquals(0.2882254123687744f, w.conv0().filter().hwio()[0]);
        assertSum(-5.152029775083065, w.conv0().filter().hwio());
        assertSum(-1.626252087764442, w.conv8().bias());
        assertArrayEquals(new int[] {1, 1, 512, 25}, w.conv8().filter().shape());
        assertArrayEquals(new int[] {3, 3, 256, 1}, w.separable().get(4).depthwise().shape());
        assertArrayEquals(new int[] {1, 1, 256, 512}, w.separable().get(4).pointwise().shape());
    }

    @Test
    void landmarkNets() throws TfjsFormatException {
        FaceLandmark68Weights full = FaceLandmark68Weights.load(folder, false);
        assertEquals(4, full.blocks().size());
        assertInstanceOf(ConvWeights.class, full.blocks().get(0).conv0());
        assertInstanceOf(SeparableConvWeights.class, full.blocks().get(1).conv0());
        assertEquals(3, full.blocks().get(3).convs().size());
        assertEquals(256, full.fc().in());
        assertEquals(136, full.fc().out());
        assertEquals(0.07683877646923065f, full.fc().bias()[0]);
        assertSum(51.783855602145195, full.fc().bias());
        assertSum(522.8224961506203, full.fc().weights());

        FaceLandmark68Weights tiny = FaceLandmark68Weights.load(folder, true);
        assertEquals(3, tiny.blocks().size());
        assertEquals(2, tiny.blocks().get(0).convs().size());
        assertEquals(128, tiny.fc().in());
        assertSum(60.15297158807516, tiny.fc().bias());
        // dense0/conv2 of the tiny net is stored with scale 1, min 0 and all-zero codes: only its bias acts.
        SeparableConvWeights zero = tiny.blocks().get(0).convs().get(1);
        assertSum(0, zero.depthwise().hwc());
        assertSum(0, zero.pointwise().hwio());
    }

    @Test
    void recognitionNet() throws TfjsFormatException {
        FaceRecognitionWeights w = FaceRecognitionWeights.load(folder);
        assertArrayEquals(new int[] {7, 7, 3, 32}, w.conv32Down().conv().filter().shape());
        assertEquals(14, w.residuals().size());
        FaceRecognitionWeights.ResidualWeights down64 = w.residuals().get(3);
        assertEquals("conv64_down", down64.name());
        assertTrue(down64.down());
        // stored as plain float32 (no quantization) in the manifest
        assertEquals(-0.004492271691560745f, down64.conv1().conv().filter().hwio()[0]);
        assertSum(-5.728654723729846, down64.conv1().conv().filter().hwio());
        assertEquals("conv256_down_out", w.residuals().get(13).name());
        assertTrue(w.residuals().get(13).down());
        assertEquals(256, w.fc().in());
        assertEquals(128, w.fc().out());
        assertEquals(false, w.fc().hasBias());
        assertSum(-0.09192569681908935, w.fc().weights());
    }

    @Test
    void ssdMobilenetV1() throws TfjsFormatException {
        SsdMobilenetV1Weights w = SsdMobilenetV1Weights.load(folder);
        assertEquals(13, w.pairs().size());
        assertEquals(2, w.pairs().get(1).stride());
        assertEquals(1, w.pairs().get(0).stride());
        assertArrayEquals(new int[] {1, 1, 1024, 1024}, w.pairs().get(12).pointwise().filter().shape());
        assertSum(-7868.16016343236, w.pairs().get(12).pointwise().filter().hwio());
        assertArrayEquals(new int[] {3, 3, 256, 512}, w.predictionConvs().get(1).filter().shape());
        assertEquals(9, w.boxPredictors().get(0).classes().outChannels());
        assertEquals(24, w.boxPredictors().get(5).boxEncoding().outChannels());
        assertEquals(5118 * 4, w.anchors().length);
        assertSum(10235.999983757734, w.anchors());
        // first anchor: 32x32 grid cell (0, 0), centre 1/64, [ymin, xmin, ymax, xmax]
        float[] a = w.anchor(0);
        assertEquals(-0.034375f, a[0], 1e-6f);
        assertEquals(-0.034375f, a[1], 1e-6f);
        assertEquals(0.065625f, a[2], 1e-6f);
        assertEquals(1 / 64f, (a[0] + a[2]) / 2, 1e-6f);
    }

    @Test
    void loadAllAtOnce() throws TfjsFormatException {
        FaceApiModels.All all = FaceApiModels.loadAll(folder);
        assertEquals(5, all.tinyFaceDetector().separable().size());
        assertEquals(3, all.landmarks68Tiny().blocks().size());
    }
}
