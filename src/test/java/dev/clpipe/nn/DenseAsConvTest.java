package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DenseAsConvTest {
    /** 20x20 window: conv 5x5 -> 6, relu, pool 2, conv 3x3 -> 8, relu, pool 2 (3x3x8), flatten, dense 12, relu, dense 5. */
    private static ModelSpec window() {
        return ModelSpec.of("win", new Shape(20, 20, 2), List.of(
                new LayerSpec.Conv("c1", 6, 5, 1, 0), new LayerSpec.Act("r1", Activation.Kind.RELU), new LayerSpec.Pool("p1", true, 2, 2, 0),
                new LayerSpec.Conv("c2", 8, 3, 1, 0), new LayerSpec.Act("r2", Activation.Kind.LEAKY_RELU), new LayerSpec.Pool("p2", true, 2, 2, 0),
                new LayerSpec.Flatten("f"), new LayerSpec.Dense("fc1", 12), new LayerSpec.Act("r3", Activation.Kind.RELU),
                new LayerSpec.Dense("fc2", 5)));
    }

    @Test
    void weightReshapeByHand() {
        // 2 units over a 1x2x2 map (HWC): dense[o][(x*2 + c)] -> conv[0][x][c][o]
        float[] dense = {1, 2, 3, 4, /* unit 1 */ 5, 6, 7, 8};
        assertArrayEquals(new float[] {1, 5, 2, 6, 3, 7, 4, 8}, DenseAsConv.denseToConvWeight(dense, 2, 1, 2, 2));
    }

    @Test
    void convertedShapesAndStride() {
        ModelSpec conv = DenseAsConv.convert(window(), new Shape(32, 28, 2));
        assertEquals(4, DenseAsConv.windowStride(window()));
        assertEquals(new Shape(4, 3, 5), conv.output()); // (32-20)/4+1 x (28-20)/4+1 windows
        assertTrue(conv.layers().get(6) instanceof LayerSpec.Conv c && c.kernel() == 3 && c.filters() == 12);
        assertTrue(conv.layers().get(8) instanceof LayerSpec.Conv c && c.kernel() == 1 && c.filters() == 5);
    }

    @Test
    void refusesModelsWithoutAConvolutionalForm() {
        ModelSpec padded = ModelSpec.of("p", new Shape(8, 8, 1), List.of(new LayerSpec.Conv("c", 2, 3, 1, 1), new LayerSpec.Flatten("f"), new LayerSpec.Dense("d", 3)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DenseAsConv.convert(padded, new Shape(16, 16, 1))).getMessage().contains("padded"));
        ModelSpec noDense = ModelSpec.of("n", new Shape(8, 8, 1), List.of(new LayerSpec.Conv("c", 2, 3, 1, 0)));
        assertThrows(IllegalArgumentException.class, () -> DenseAsConv.convert(noDense, new Shape(16, 16, 1)));
        ModelSpec oblong = ModelSpec.of("o", new Shape(8, 6, 1), List.of(new LayerSpec.Flatten("f"), new LayerSpec.Dense("d", 3)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DenseAsConv.convert(oblong, new Shape(16, 16, 1))).getMessage().contains("square"));
    }

    /** One pass of the converted network over a 32x28 image equals the classifier run on each of its 4x3 windows. */
    @Test
    void onePassEqualsEveryWindow() {
        ClContext ctx = TestDevices.context();
        ModelSpec win = window();
        Shape big = new Shape(32, 28, 2);
        ModelSpec convSpec = DenseAsConv.convert(win, big);
        int stride = DenseAsConv.windowStride(win);
        int rows = convSpec.output().height(), cols = convSpec.output().width(), classes = 5;
        Random r = new Random(8);
        float[] image = new float[big.size()];
        for (int i = 0; i < image.length; i++) image[i] = (float) r.nextGaussian();
        try (Network windowNet = new Network(ctx, win, rows * cols, 77); Network convNet = new Network(ctx, convSpec, 1, 1)) {
            DenseAsConv.copyWeights(windowNet, convNet);
            float[] crops = new float[rows * cols * win.input().size()];
            int k = 0;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    for (int y = 0; y < 20; y++) {
                        for (int x = 0; x < 20; x++) {
                            for (int c = 0; c < 2; c++) crops[k++] = image[((i * stride + y) * big.width() + j * stride + x) * 2 + c];
                        }
                    }
                }
            }
            windowNet.input().write(ctx.queue(), crops);
            windowNet.forward(false, 0);
            float[] perWindow = new float[rows * cols * classes];
            windowNet.logits().read(ctx.queue(), perWindow);
            convNet.input().write(ctx.queue(), image);
            convNet.forward(false, 0);
            float[] onePass = new float[rows * cols * classes];
            convNet.logits().read(ctx.queue(), onePass);
            Tolerance.FLOAT.assertClose(onePass, perWindow, "convolutional pass vs per-window classifier");
            assertTrue(java.util.Arrays.stream(toDouble(perWindow)).map(Math::abs).max().orElse(0) > 1e-3, "scores are not all zero");
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
