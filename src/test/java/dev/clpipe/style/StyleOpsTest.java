package dev.clpipe.style;

import dev.clpipe.nn.ops.StyleOps;
import static dev.clpipe.nn.ops.OpTesting.checkGradient;
import static dev.clpipe.nn.ops.OpTesting.dot;
import static dev.clpipe.nn.ops.OpTesting.toDouble;
import static dev.clpipe.nn.ops.OpTesting.toFloat;
import static dev.clpipe.nn.ops.OpTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class StyleOpsTest {
    /** (pixels, channels): single pixel and channel, odd sizes around the 16-wide tile, long sums. */
    private static final int[][] GRAM_SHAPES = {{1, 1}, {7, 3}, {16, 16}, {17, 15}, {33, 35}, {100, 64}, {1000, 17}, {4096, 32}};
    private static final int[][] GRAM_SHAPES_SMALL = {{1, 1}, {17, 15}};

    @Test
    void styleGradientMatchesFiniteDifferences() {
        Random r = new Random(1);
        for (int[] s : new int[][] {{5, 3}, {9, 7}, {1, 4}}) {
            int p = s[0], c = s[1];
            double[] f = random(r, p * c, -1, 1);
            double[] target = StyleReference.gram(random(r, p * c, -1, 1), p, c);
            checkGradient("style " + p + "x" + c, v -> StyleReference.styleCost(target, v, p, c), f,
                    StyleReference.styleCostGradient(target, f, p, c), Integer.MAX_VALUE);
        }
    }

    @Test
    void contentGradientIsTheDifference() {
        Random r = new Random(2);
        double[] a = random(r, 40, -1, 1), content = random(r, 40, -1, 1);
        double[] grad = new double[40];
        for (int i = 0; i < 40; i++) grad[i] = a[i] - content[i];
        checkGradient("content", v -> StyleReference.contentCost(content, v), a, grad, Integer.MAX_VALUE);
    }

    @Tag("kernel")
    @Test
    void gramKernelsMatchTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(4);
        try (StyleOps ops = new StyleOps(ctx)) {
            for (int[] s : TestDevices.underOclgrind() ? GRAM_SHAPES_SMALL : GRAM_SHAPES) {
                int p = s[0], c = s[1];
                float[] f = uniform(r, p * c, -1, 1), d = uniform(r, c * c, -1, 1), prev = uniform(r, p * c, -1, 1);
                try (ClBuffer bf = ctx.buffer(f); ClBuffer bg = ctx.buffer((long) c * c * Float.BYTES); ClBuffer bd = ctx.buffer(d);
                     ClBuffer bdf = ctx.buffer(prev)) {
                    for (boolean direct : new boolean[] {true, false}) {
                        String v = (direct ? "direct " : "gemm ") + p + "x" + c;
                        if (direct) ops.gramDirect(bf, bg, p, c);
                        else ops.gram(bf, bg, p, c);
                        Tolerance.FLOAT_LONG_SUM.assertClose(bg.readFloats(ctx.queue()), toFloat(StyleReference.gram(toDouble(f), p, c)), "gram " + v);
                        bdf.write(ctx.queue(), prev);
                        if (direct) ops.gramBackwardDirect(bf, bd, bdf, p, c, 0.25f, true);
                        else ops.gramBackward(bf, bd, bdf, p, c, 0.25f, true);
                        Tolerance.FLOAT_LONG_SUM.assertClose(bdf.readFloats(ctx.queue()),
                                toFloat(StyleReference.gramBackward(toDouble(f), toDouble(d), p, c, 0.25, toDouble(prev))), "gram_backward accumulate " + v);
                        if (direct) ops.gramBackwardDirect(bf, bd, bdf, p, c, -2f, false);
                        else ops.gramBackward(bf, bd, bdf, p, c, -2f, false);
                        Tolerance.FLOAT_LONG_SUM.assertClose(bdf.readFloats(ctx.queue()),
                                toFloat(StyleReference.gramBackward(toDouble(f), toDouble(d), p, c, -2, null)), "gram_backward " + v);
                    }
                }
            }
        }
    }

    @Tag("kernel")
    @Test
    void diffSquaresMatchesTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(5);
        int[] sizes = TestDevices.underOclgrind() ? new int[] {1, 65} : new int[] {1, 63, 64, 65, 4097, 100_003};
        try (StyleOps ops = new StyleOps(ctx)) {
            for (int n : sizes) {
                float[] a = uniform(r, n, -2, 2), b = uniform(r, n, -2, 2);
                try (ClBuffer ba = ctx.buffer(a); ClBuffer bb = ctx.buffer(b); ClBuffer bd = ctx.buffer((long) n * Float.BYTES)) {
                    double got = ops.diffSquares(ba, bb, bd, 0.5f, n);
                    double want = StyleReference.sumSquaredDiff(toDouble(a), toDouble(b));
                    assertTrue(Tolerance.FLOAT_LONG_SUM.accepts(got, want), "sum of squares n=" + n + ": " + got + " vs " + want);
                    float[] diff = new float[n];
                    for (int i = 0; i < n; i++) diff[i] = 0.5f * (a[i] - b[i]);
                    Tolerance.FLOAT.assertClose(bd.readFloats(ctx.queue()), diff, "scaled difference n=" + n);
                }
            }
        }
    }

    @Tag("kernel")
    @Test
    void elementwiseKernelsMatchTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(6);
        int[] sizes = TestDevices.underOclgrind() ? new int[] {3, 69} : new int[] {3, 63, 66, 3000, 30_003};
        double[] shift = {-0.9, 0.2, 1.5};
        try (StyleOps ops = new StyleOps(ctx)) {
            for (int n : sizes) {
                float[] x = uniform(r, n, -3, 9), dy = uniform(r, n, -1, 1);
                try (ClBuffer bx = ctx.buffer(x); ClBuffer bdy = ctx.buffer(dy); ClBuffer out = ctx.buffer((long) n * Float.BYTES)) {
                    ops.pixelsToInput(bx, out, 1 / 127.5f, toFloat(shift), n);
                    Tolerance.FLOAT.assertClose(out.readFloats(ctx.queue()), toFloat(StyleReference.pixelsToInput(toDouble(x), 1 / 127.5, shift)), "normalise n=" + n);
                    ops.inputToPixelsGrad(bdy, out, 0.5f, n);
                    float[] half = new float[n];
                    for (int i = 0; i < n; i++) half[i] = dy[i] * 0.5f;
                    Tolerance.EXACT.assertClose(out.readFloats(ctx.queue()), half, "normalise backward n=" + n);
                    ops.clampPixels(bx, 0, 6, n);
                    Tolerance.EXACT.assertClose(bx.readFloats(ctx.queue()), toFloat(StyleReference.clamp(toDouble(x), 0, 6)), "clamp n=" + n);
                }
            }
        }
    }

    static double[] random(Random r, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * r.nextDouble();
        return a;
    }
}
