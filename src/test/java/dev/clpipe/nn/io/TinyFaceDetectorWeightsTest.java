package dev.clpipe.nn.io;

import static dev.clpipe.nn.io.TfjsFixture.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model loaders on synthetic manifests whose every tensor is filled with its own ordinal. */
class TinyFaceDetectorWeightsTest {
    @TempDir
    Path dir;

    /** The tiny face detector manifest of face-api 1.7.15, written out by hand (docs/face-models.md). */
    private static final Object[][] TINY = {
        {"conv0/filters", shape(3, 3, 3, 16)}, {"conv0/bias", shape(16)},
        {"conv1/depthwise_filter", shape(3, 3, 16, 1)}, {"conv1/pointwise_filter", shape(1, 1, 16, 32)}, {"conv1/bias", shape(32)},
        {"conv2/depthwise_filter", shape(3, 3, 32, 1)}, {"conv2/pointwise_filter", shape(1, 1, 32, 64)}, {"conv2/bias", shape(64)},
        {"conv3/depthwise_filter", shape(3, 3, 64, 1)}, {"conv3/pointwise_filter", shape(1, 1, 64, 128)}, {"conv3/bias", shape(128)},
        {"conv4/depthwise_filter", shape(3, 3, 128, 1)}, {"conv4/pointwise_filter", shape(1, 1, 128, 256)}, {"conv4/bias", shape(256)},
        {"conv5/depthwise_filter", shape(3, 3, 256, 1)}, {"conv5/pointwise_filter", shape(1, 1, 256, 512)}, {"conv5/bias", shape(512)},
        {"conv8/filters", shape(1, 1, 512, 25)}, {"conv8/bias", shape(25)},
    };

    private Path write(List<Object[]> entries) throws IOException {
        TfjsFixture f = new TfjsFixture();
        TfjsFixture.Group g = f.group("tiny.bin");
        int ordinal = 0;
        for (Object[] e : entries) {
            int[] s = (int[]) e[1];
            int n = 1;
            for (int d : s) n *= d;
            int[] q = new int[n];
            java.util.Arrays.fill(q, ordinal++);
            g.uint8((String) e[0], s, "float32", 1, 0, q); // value = ordinal
        }
        return f.write(dir, TinyFaceDetectorWeights.MANIFEST);
    }

    private static List<Object[]> tiny() {
        return new ArrayList<>(List.of(TINY));
    }

    @Test
    void loadsEveryLayerFromTheRightTensor() throws IOException {
        write(tiny());
        TinyFaceDetectorWeights w = TinyFaceDetectorWeights.load(dir);
        assertEquals(0, w.conv0().filter().hwio()[0]);
        assertEquals(1, w.conv0().bias()[15]);
        assertEquals(3, w.conv0().filter().kh());
        assertEquals(5, w.separable().size());
        SeparableConvWeights conv3 = w.separable().get(2);
        assertEquals("conv3", conv3.name());
        assertEquals(8, conv3.depthwise().hwc()[0]);
        assertEquals(9, conv3.pointwise().hwio()[0]);
        assertEquals(10, conv3.bias()[127]);
        assertEquals(64, conv3.inChannels());
        assertEquals(128, conv3.outChannels());
        assertEquals(512, w.conv8().inChannels());
        assertEquals(25, w.conv8().outChannels());
        assertEquals(18, w.conv8().bias()[0]);
        assertInstanceOf(LayerWeights.class, w.conv8());
        assertEquals(5, TinyFaceDetectorWeights.ANCHORS.size());
        assertEquals(1.603231f, TinyFaceDetectorWeights.ANCHORS.get(0).width());
    }

    @Test
    void refusesAWrongShapeNamingTensorAndBothShapes() throws IOException {
        List<Object[]> entries = tiny();
        entries.set(3, new Object[] {"conv1/pointwise_filter", shape(1, 1, 16, 33)});
        write(entries);
        TfjsFormatException e = assertThrows(TfjsFormatException.class, () -> TinyFaceDetectorWeights.load(dir));
        TfjsWeightsTest.assertContains(e.getMessage(), TinyFaceDetectorWeights.MANIFEST, "'conv1/pointwise_filter'",
                "[1,1,16,33]", "expects [1,1,16,32]");
    }

    @Test
    void refusesAMissingTensor() throws IOException {
        List<Object[]> entries = tiny();
        entries.remove(18);
        write(entries);
        TfjsFormatException e = assertThrows(TfjsFormatException.class, () -> TinyFaceDetectorWeights.load(dir));
        TfjsWeightsTest.assertContains(e.getMessage(), "needs tensor 'conv8/bias' [25]", "has none");
    }

    @Test
    void refusesTensorsTheNetworkDoesNotUse() throws IOException {
        List<Object[]> entries = tiny();
        entries.add(new Object[] {"conv6/bias", shape(512)});
        write(entries);
        TfjsFormatException e = assertThrows(TfjsFormatException.class, () -> TinyFaceDetectorWeights.load(dir));
        TfjsWeightsTest.assertContains(e.getMessage(), "does not use: conv6/bias");
    }

    @Test
    void aLandmarkManifestIsNotATinyDetector() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("x.bin").float32("dense0/conv0/filters", shape(1), 0);
        f.write(dir, TinyFaceDetectorWeights.MANIFEST);
        TfjsFormatException e = assertThrows(TfjsFormatException.class, () -> TinyFaceDetectorWeights.load(dir));
        TfjsWeightsTest.assertContains(e.getMessage(), "TinyFaceDetector needs tensor 'conv0/filters'");
    }
}
