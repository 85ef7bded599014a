package dev.clpipe.nn.ops;

import static dev.clpipe.nn.ops.OpTesting.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClQueue;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * NHWC pooling kernels against their twin (the NCHW reference through transposes): the general
 * kernels (padding, overlap, ragged maps) and the division-free tiled ones (2x2/2 on even maps),
 * forward and backward; the twin's backward is checked by finite differences. The ReLU-folded max
 * pool (relu flag) against its twin and bit for bit against the ReLU and pool kernels it replaces,
 * on data with ties and all-negative windows.
 */
class Pool2dNhwcTest {
    record Case(int n, int h, int w, int c, PoolWindow p) {}

    static final List<Case> CASES = List.of(
            new Case(2, 8, 6, 6, PoolWindow.of(2, 2, 0)),      // tiled fast path
            new Case(3, 28, 28, 6, PoolWindow.of(2, 2, 0)),    // LeNet's first pool
            new Case(2, 10, 10, 16, PoolWindow.of(2, 2, 0)),   // tiling windows: per-pixel kernels at every C
            new Case(2, 9, 7, 5, PoolWindow.of(2, 2, 0)),      // ragged map: general kernel
            new Case(1, 5, 7, 3, PoolWindow.of(3, 2, 1)),      // padding, overlap
            new Case(2, 6, 6, 16, PoolWindow.of(3, 1, 1)),     // float16 kernels from here on (C % 16 == 0)
            new Case(2, 9, 9, 32, PoolWindow.of(3, 2, 1)),     // ResNet stem pool, odd map
            new Case(1, 8, 10, 16, PoolWindow.of(3, 2, 1)),    // even map, ragged last window
            new Case(3, 7, 5, 48, PoolWindow.of(2, 2, 0)),     // ragged map, no padding
            new Case(1, 6, 6, 16, PoolWindow.of(2, 1, 0)),     // overlap without padding
            new Case(2, 12, 12, 64, PoolWindow.of(3, 3, 1)));

    @Test
    void kernelsMatchTheTwin() {
        ClContext cl = TestDevices.context();
        Random r = new Random(5);
        for (Case k : CASES) {
            for (Pool2d.Mode mode : Pool2d.Mode.values()) {
                int in = k.n * k.h * k.w * k.c, out = k.n * k.p.outH(k.h) * k.p.outW(k.w) * k.c;
                float[] x = distinct(r, in), dy = uniform(r, out, -1, 1);
                try (Pool2dNhwc pool = new Pool2dNhwc(cl, mode, k.p, true); ClBuffer xb = cl.buffer(x); ClBuffer yb = cl.buffer(out * 4L);
                        ClBuffer arg = cl.buffer(out * 4L); ClBuffer dyb = cl.buffer(dy); ClBuffer dxb = cl.buffer(in * 4L)) {
                    pool.forward(xb, yb, arg, k.n, k.h, k.w, k.c);
                    pool.backward(dyb, arg, dxb, k.n, k.h, k.w, k.c);
                    double[] y = Pool2dNhwcReference.forward(mode, toDouble(x), k.n, k.h, k.w, k.c, k.p, true);
                    double[] dx = Pool2dNhwcReference.backward(mode, toDouble(x), toDouble(dy), k.n, k.h, k.w, k.c, k.p, true);
                    Tolerance.FLOAT.assertClose(yb.readFloats(cl.queue()), toFloat(y), mode + " forward " + k);
                    Tolerance.FLOAT.assertClose(dxb.readFloats(cl.queue()), toFloat(dx), mode + " backward " + k);
                }
            }
        }
    }

    /** Shapes of the folded form: C = 1, 3, 6, 16, 32 on tiled maps (2x2/2, 3x2/3x2), odd maps, padding, overlap; each kernel family. */
    static final List<Case> RELU_CASES = List.of(
            new Case(2, 8, 8, 1, PoolWindow.of(2, 2, 0)),
            new Case(3, 6, 4, 3, PoolWindow.of(2, 2, 0)),
            new Case(4, 28, 28, 6, PoolWindow.of(2, 2, 0)),    // LeNet's pools
            new Case(4, 10, 10, 16, PoolWindow.of(2, 2, 0)),
            new Case(2, 6, 8, 32, PoolWindow.of(2, 2, 0)),
            new Case(2, 9, 8, 6, new PoolWindow(3, 2, 3, 2, 0, 0, 0, 0)),
            new Case(2, 7, 9, 3, PoolWindow.of(2, 2, 0)),      // odd map: general kernel
            new Case(1, 7, 5, 6, PoolWindow.of(3, 2, 1)),      // padding, overlap
            new Case(2, 9, 9, 32, PoolWindow.of(3, 2, 1)),     // float16 kernels
            new Case(2, 5, 5, 16, PoolWindow.of(2, 1, 0)),
            new Case(1, 5, 7, 1, PoolWindow.of(3, 1, 1)));

    @Test
    @Tag("kernel")
    void reluFoldedKernelsMatchTheTwinAndTheUnfoldedKernelsBitForBit() {
        ClContext cl = TestDevices.context();
        ClQueue q = cl.queue();
        Random r = new Random(8);
        for (Case k : RELU_CASES) {
            for (boolean ties : new boolean[] {true, false}) {
                {
                    int in = k.n * k.h * k.w * k.c, out = k.n * k.p.outH(k.h) * k.p.outW(k.w) * k.c;
                    float[] x = ties ? ties(r, in) : distinct(r, in), dy = uniform(r, out, -1, 1);
                    String what = k + (ties ? " ties" : "");
                    try (Pool2dNhwc folded = new Pool2dNhwc(cl, Pool2d.Mode.MAX, k.p, false, true);
                            Pool2dNhwc plain = new Pool2dNhwc(cl, Pool2d.Mode.MAX, k.p, false, false);
                            Activation relu = new Activation(cl, Activation.Kind.RELU);
                            ClBuffer xb = cl.buffer(x); ClBuffer rb = cl.buffer(in * 4L); ClBuffer yb = cl.buffer(out * 4L); ClBuffer y2 = cl.buffer(out * 4L);
                            ClBuffer arg = cl.buffer(out * 4L); ClBuffer arg2 = cl.buffer(out * 4L); ClBuffer dyb = cl.buffer(dy);
                            ClBuffer dxb = cl.buffer(in * 4L); ClBuffer drb = cl.buffer(in * 4L); ClBuffer dx2 = cl.buffer(in * 4L)) {
                        folded.forward(xb, yb, arg, k.n, k.h, k.w, k.c);
                        folded.backward(dyb, arg, dxb, k.n, k.h, k.w, k.c);
                        relu.forward(xb, rb, in);
                        plain.forward(rb, y2, arg2, k.n, k.h, k.w, k.c);
                        plain.backward(dyb, arg2, drb, k.n, k.h, k.w, k.c);
                        relu.backward(xb, rb, drb, dx2, in);
                        float[] y = yb.readFloats(q), dx = dxb.readFloats(q);
                        Tolerance.assertSameBits(y, y2.readFloats(q), "forward vs relu + pool, " + what);
                        Tolerance.assertSameBits(dx, dx2.readFloats(q), "backward vs pool + relu backward, " + what);
                        Tolerance.assertSameBits(y, toFloat(Pool2dNhwcReference.maxAfterRelu(toDouble(x), k.n, k.h, k.w, k.c, k.p)), "forward vs twin, " + what);
                        double[] want = Pool2dNhwcReference.maxAfterReluBackward(toDouble(x), toDouble(dy), k.n, k.h, k.w, k.c, k.p);
                        Tolerance.FLOAT.assertClose(dx, toFloat(want), "backward vs twin, " + what);
                        int[] argmax = new int[out];
                        arg.read(q, argmax);
                        for (int i = 0; i < out; i++) assertEquals(y[i] > 0, argmax[i] >= 0, "argmax -1 exactly where the output is clipped, " + what);
                    }
                }
            }
        }
    }

    /** Few distinct values, most windows tied and many all negative (or all zero). */
    private static float[] ties(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (r.nextInt(5) - 3) * 0.5f;
        return a;
    }

    @Test
    void foldedTwinBackwardMatchesFiniteDifferences() {
        Random r = new Random(9);
        for (Case k : List.of(RELU_CASES.get(1), RELU_CASES.get(5), RELU_CASES.get(7))) {
            double[] x = toDouble(distinct(r, k.n * k.h * k.w * k.c));
            for (int i = 0; i < x.length; i++) x[i] += 0.005; // no input at the kink
            double[] dy = toDouble(uniform(r, k.n * k.p.outH(k.h) * k.p.outW(k.w) * k.c, -1, 1));
            double[] dx = Pool2dNhwcReference.maxAfterReluBackward(x, dy, k.n, k.h, k.w, k.c, k.p);
            checkGradient("relu folded " + k, v -> dot(dy, Pool2dNhwcReference.maxAfterRelu(v, k.n, k.h, k.w, k.c, k.p)), x, dx);
        }
    }

    @Test
    void twinBackwardMatchesFiniteDifferences() {
        Random r = new Random(6);
        for (Case k : CASES.subList(3, 5)) {
            for (Pool2d.Mode mode : Pool2d.Mode.values()) {
                double[] x = toDouble(distinct(r, k.n * k.h * k.w * k.c));
                double[] dy = toDouble(uniform(r, k.n * k.p.outH(k.h) * k.p.outW(k.w) * k.c, -1, 1));
                double[] dx = Pool2dNhwcReference.backward(mode, x, dy, k.n, k.h, k.w, k.c, k.p, true);
                checkGradient(mode + " " + k, v -> dot(dy, Pool2dNhwcReference.forward(mode, v, k.n, k.h, k.w, k.c, k.p, true)), x, dx);
            }
        }
    }
}
