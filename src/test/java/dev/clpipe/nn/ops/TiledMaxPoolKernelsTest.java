package dev.clpipe.nn.ops;

import static dev.clpipe.nn.ops.OpTesting.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The max-pool kernels for tiling windows ({@link Pool2dNhwc.TiledKernels}): the per-pixel kernels, whose
 * channels go in vector runs of 16, 8, 4, 2 and 1, bit for bit against the (C, OW, N*OH) kernels (y, argmax
 * and dx) and against the twin, for channel counts that use every run alone and mixed,
 * square and non-square windows, folded and unfolded, on data with ties, all-negative windows and distinct
 * values; their backward against finite differences of the twin.
 */
class TiledMaxPoolKernelsTest {
    record Case(int n, int h, int w, int c, PoolWindow p) {
        int in() {
            return n * h * w * c;
        }

        int out() {
            return n * p.outH(h) * p.outW(w) * c;
        }
    }

    enum Data { TIES, NEGATIVE, DISTINCT }

    /** Every vector run alone and mixed: 8+4+2+1, 1, 2+1, 16+4, 4+2, 4+2+1, 8, 8+4, 16, 16+1, 16+16+1 (the first five under Oclgrind). */
    static final int[] CHANNELS = {15, 1, 3, 20, 6, 7, 8, 12, 16, 17, 33};

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case(3, 28, 28, 6, PoolWindow.of(2, 2, 0)));   // LeNet's first pool
        for (int c : CHANNELS) cases.add(new Case(2, 6, 4, c, PoolWindow.of(2, 2, 0)));
        for (int c : new int[] {3, 6, 20}) {
            cases.add(new Case(1, 9, 6, c, PoolWindow.of(3, 3, 0)));   // odd map, 3x3 windows
            cases.add(new Case(2, 9, 8, c, new PoolWindow(3, 2, 3, 2, 0, 0, 0, 0)));   // non-square windows
        }
        cases.add(new Case(2, 3, 5, 6, PoolWindow.of(1, 1, 0)));
        return cases;
    }

    @Test
    @Tag("kernel")
    void pixelKernelsMatchTheChannelGridKernelsBitForBitAndTheTwin() {
        ClContext cl = TestDevices.context();
        Random r = new Random(21);
        for (Case k : OpTesting.cases(6, cases())) {
            for (boolean relu : new boolean[] {true, false}) {
                for (Data data : Data.values()) {
                    float[] x = input(r, data, k.in()), dy = uniform(r, k.out(), -1, 1);
                    String what = k + (relu ? " relu folded " : " ") + data;
                    Result pixel = run(cl, Pool2dNhwc.TiledKernels.PIXEL, relu, k, x, dy);
                    Result grid = run(cl, Pool2dNhwc.TiledKernels.CHANNEL_GRID, relu, k, x, dy);
                    Tolerance.assertSameBits(pixel.y, grid.y, "forward, " + what);
                    assertArrayEquals(grid.argmax, pixel.argmax, "argmax, " + what);
                    Tolerance.assertSameBits(pixel.dx, grid.dx, "backward, " + what);
                    double[] y = relu ? Pool2dNhwcReference.maxAfterRelu(toDouble(x), k.n, k.h, k.w, k.c, k.p)
                            : Pool2dNhwcReference.forward(Pool2d.Mode.MAX, toDouble(x), k.n, k.h, k.w, k.c, k.p, false);
                    Tolerance.assertSameBits(pixel.y, toFloat(y), "forward vs twin, " + what);
                    double[] dx = relu ? Pool2dNhwcReference.maxAfterReluBackward(toDouble(x), toDouble(dy), k.n, k.h, k.w, k.c, k.p)
                            : Pool2dNhwcReference.backward(Pool2d.Mode.MAX, toDouble(x), toDouble(dy), k.n, k.h, k.w, k.c, k.p, false);
                    Tolerance.FLOAT.assertClose(pixel.dx, toFloat(dx), "backward vs twin, " + what);
                    if (relu) {
                        for (int i = 0; i < k.out(); i++) assertEquals(pixel.y[i] > 0, pixel.argmax[i] >= 0, "argmax -1 exactly where clipped, " + what);
                    }
                }
            }
        }
    }

    @Test
    void pixelBackwardMatchesFiniteDifferencesOfTheTwin() {
        ClContext cl = TestDevices.context();
        Random r = new Random(22);
        for (Case k : List.of(new Case(2, 4, 6, 3, PoolWindow.of(2, 2, 0)), new Case(1, 6, 4, 6, PoolWindow.of(2, 2, 0)),
                new Case(1, 3, 4, 20, new PoolWindow(3, 2, 3, 2, 0, 0, 0, 0)))) {
            for (boolean relu : new boolean[] {true, false}) {
                float[] xf = distinct(r, k.in());
                for (int i = 0; i < xf.length; i++) xf[i] += 0.005f; // no input at ReLU's kink
                float[] dyf = uniform(r, k.out(), -1, 1);
                double[] dy = toDouble(dyf);
                double[] dx = toDouble(run(cl, Pool2dNhwc.TiledKernels.PIXEL, relu, k, xf, dyf).dx);
                checkGradient((relu ? "relu folded " : "") + k, v -> dot(dy, relu ? Pool2dNhwcReference.maxAfterRelu(v, k.n, k.h, k.w, k.c, k.p)
                        : Pool2dNhwcReference.forward(Pool2d.Mode.MAX, v, k.n, k.h, k.w, k.c, k.p, false)), toDouble(xf), dx);
            }
        }
    }

    record Result(float[] y, int[] argmax, float[] dx) {}

    /** Forward then backward; dx starts as NaN, so an element the backward does not write shows. */
    private static Result run(ClContext cl, Pool2dNhwc.TiledKernels kernels, boolean relu, Case k, float[] x, float[] dy) {
        float[] garbage = new float[k.in()];
        Arrays.fill(garbage, Float.NaN);
        try (Pool2dNhwc pool = new Pool2dNhwc(cl, Pool2d.Mode.MAX, k.p, false, relu, kernels); ClBuffer xb = cl.buffer(x);
                ClBuffer yb = cl.buffer(k.out() * 4L); ClBuffer arg = cl.buffer(k.out() * 4L); ClBuffer dyb = cl.buffer(dy); ClBuffer dxb = cl.buffer(garbage)) {
            pool.forward(xb, yb, arg, k.n, k.h, k.w, k.c);
            pool.backward(dyb, arg, dxb, k.n, k.h, k.w, k.c);
            int[] argmax = new int[k.out()];
            arg.read(cl.queue(), argmax);
            return new Result(yb.readFloats(cl.queue()), argmax, dxb.readFloats(cl.queue()));
        }
    }

    /** TIES: few values, most windows tied, many all zero or negative; NEGATIVE: every value below 0. */
    private static float[] input(Random r, Data data, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = switch (data) {
                case TIES -> (r.nextInt(5) - 3) * 0.5f;
                case NEGATIVE -> -0.25f * (1 + r.nextInt(4));
                case DISTINCT -> 0;
            };
        }
        return data == Data.DISTINCT ? distinct(r, n) : a;
    }
}
