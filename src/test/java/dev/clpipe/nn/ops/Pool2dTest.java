package dev.clpipe.nn.ops;

import static dev.clpipe.nn.ops.OpTesting.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clpipe.cl.ClContext;
import dev.clpipe.tensor.Tensor;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class Pool2dTest {
    /** (n, c, h, w, window): odd sizes, batch 1, stride > 1, padding, overlapping and rectangular windows. */
    record Case(int n, int c, int h, int w, PoolWindow p) {}

    static final List<Case> CASES = List.of(
            new Case(1, 2, 5, 7, PoolWindow.of(3, 2, 1)),
            new Case(2, 3, 4, 4, PoolWindow.of(2, 2, 0)),
            new Case(1, 1, 9, 6, new PoolWindow(3, 2, 1, 2, 1, 2, 1, 0)),
            new Case(3, 4, 13, 11, PoolWindow.of(3, 2, 1)),
            new Case(2, 5, 8, 8, PoolWindow.of(3, 1, 1)),
            new Case(1, 3, 7, 7, PoolWindow.of(7, 1, 0)),
            new Case(4, 16, 32, 32, PoolWindow.of(2, 2, 0)),
            new Case(2, 8, 27, 31, new PoolWindow(5, 3, 3, 2, 2, 1, 0, 2)));

    @Test
    void maxBackwardMatchesFiniteDifferences() {
        Random r = new Random(1);
        for (Case k : CASES.subList(0, 4)) {
            double[] x = toDouble(distinct(r, k.n * k.c * k.h * k.w));
            int[] arg = new int[k.n * k.c * k.p.outH(k.h) * k.p.outW(k.w)];
            double[] dy = toDouble(uniform(r, arg.length, -1, 1));
            Pool2dReference.maxForward(x, k.n, k.c, k.h, k.w, k.p, arg);
            double[] dx = Pool2dReference.maxBackward(dy, arg, k.n, k.c, k.h, k.w, k.p);
            checkGradient("max pool " + k, v -> dot(dy, Pool2dReference.maxForward(v, k.n, k.c, k.h, k.w, k.p, null)), x, dx);
        }
    }

    @Test
    void averageBackwardMatchesFiniteDifferences() {
        Random r = new Random(2);
        for (Case k : CASES.subList(0, 4)) {
            for (boolean countPad : new boolean[] {true, false}) {
                double[] x = toDouble(uniform(r, k.n * k.c * k.h * k.w, -1, 1));
                double[] dy = toDouble(uniform(r, k.n * k.c * k.p.outH(k.h) * k.p.outW(k.w), -1, 1));
                double[] dx = Pool2dReference.avgBackward(dy, k.n, k.c, k.h, k.w, k.p, countPad);
                checkGradient("avg pool " + k, v -> dot(dy, Pool2dReference.avgForward(v, k.n, k.c, k.h, k.w, k.p, countPad)), x, dx);
            }
        }
        double[] x = toDouble(uniform(r, 2 * 3 * 5 * 4, -1, 1));
        double[] dy = toDouble(uniform(r, 6, -1, 1));
        checkGradient("global avg", v -> dot(dy, Pool2dReference.globalAvgForward(v, 2, 3, 5, 4)), x,
                Pool2dReference.globalAvgBackward(dy, 2, 3, 5, 4));
    }

    @Test
    void paddingAsLargeAsTheWindowIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> PoolWindow.of(2, 1, 2));
    }

    @Tag("kernel")
    @Test
    void maxKernelMatchesTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(3);
        {
            for (Case k : cases(3, CASES)) {
                try (Pool2d op = new Pool2d(ctx, Pool2d.Mode.MAX, k.p)) {
                    float[] x = uniform(r, k.n * k.c * k.h * k.w, -3, 3);
                    int[] arg = new int[k.n * k.c * k.p.outH(k.h) * k.p.outW(k.w)];
                    float[] dy = uniform(r, arg.length, -1, 1);
                    double[] want = Pool2dReference.maxForward(toDouble(x), k.n, k.c, k.h, k.w, k.p, arg);
                    double[] wantDx = Pool2dReference.maxBackward(toDouble(dy), arg, k.n, k.c, k.h, k.w, k.p);
                    try (Tensor tx = Tensor.fromHost(ctx, x, k.n, k.c, k.h, k.w); Tensor y = op.forward(tx);
                         Tensor tdy = Tensor.fromHost(ctx, dy, y.shape()); Tensor dx = op.backward(tdy)) {
                        Tolerance.EXACT.assertClose(y.toHost(), toFloat(want), "max pool forward " + k);
                        assertArrayEquals(arg, op.argmaxToHost(), "argmax " + k);
                        Tolerance.FLOAT.assertClose(dx.toHost(), toFloat(wantDx), "max pool backward " + k);
                    }
                }
            }
        }
    }

    @Tag("kernel")
    @Test
    void averageKernelMatchesTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(4);
        for (Case k : cases(3, CASES)) {
            for (boolean countPad : new boolean[] {true, false}) {
                try (Pool2d op = new Pool2d(ctx, Pool2d.Mode.AVERAGE, k.p, countPad)) {
                    float[] x = uniform(r, k.n * k.c * k.h * k.w, -3, 3);
                    float[] dy = uniform(r, k.n * k.c * k.p.outH(k.h) * k.p.outW(k.w), -1, 1);
                    double[] want = Pool2dReference.avgForward(toDouble(x), k.n, k.c, k.h, k.w, k.p, countPad);
                    double[] wantDx = Pool2dReference.avgBackward(toDouble(dy), k.n, k.c, k.h, k.w, k.p, countPad);
                    try (Tensor tx = Tensor.fromHost(ctx, x, k.n, k.c, k.h, k.w); Tensor y = op.forward(tx);
                         Tensor tdy = Tensor.fromHost(ctx, dy, y.shape()); Tensor dx = op.backward(tdy)) {
                        Tolerance.FLOAT.assertClose(y.toHost(), toFloat(want), "avg pool forward " + k + " countPad=" + countPad);
                        Tolerance.FLOAT.assertClose(dx.toHost(), toFloat(wantDx), "avg pool backward " + k + " countPad=" + countPad);
                    }
                }
            }
        }
    }

    @Tag("kernel")
    @Test
    void globalAverageKernelMatchesTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(5);
        int[][] shapes = TestDevices.underOclgrind() ? new int[][] {{2, 3, 5, 4}} : new int[][] {{2, 3, 5, 4}, {1, 7, 1, 1}, {8, 64, 7, 7}, {3, 5, 13, 9}};
        try (GlobalAvgPool op = new GlobalAvgPool(ctx)) {
            for (int[] s : shapes) {
                float[] x = uniform(r, s[0] * s[1] * s[2] * s[3], -2, 2);
                float[] dy = uniform(r, s[0] * s[1], -1, 1);
                try (Tensor tx = Tensor.fromHost(ctx, x, s); Tensor y = op.forward(tx);
                     Tensor tdy = Tensor.fromHost(ctx, dy, s[0], s[1], 1, 1); Tensor dx = op.backward(tdy, s)) {
                    Tolerance.FLOAT.assertClose(y.toHost(), toFloat(Pool2dReference.globalAvgForward(toDouble(x), s[0], s[1], s[2], s[3])), "global avg " + shape(s));
                    Tolerance.FLOAT.assertClose(dx.toHost(), toFloat(Pool2dReference.globalAvgBackward(toDouble(dy), s[0], s[1], s[2], s[3])), "global avg backward " + shape(s));
                }
            }
        }
    }
}
