package dev.clpipe.nn.ops;

import static dev.clpipe.nn.ops.OpTesting.*;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * NHWC pooling kernels against their twin (the NCHW reference through transposes): the general
 * kernels (padding, overlap, ragged maps) and the division-free tiled ones (2x2/2 on even maps),
 * forward and backward; the twin's backward is checked by finite differences.
 */
class Pool2dNhwcTest {
    record Case(int n, int h, int w, int c, PoolWindow p) {}

    static final List<Case> CASES = List.of(
            new Case(2, 8, 6, 6, PoolWindow.of(2, 2, 0)),      // tiled fast path
            new Case(3, 28, 28, 6, PoolWindow.of(2, 2, 0)),    // LeNet's first pool
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

    @Test
    void twinBackwardMatchesFiniteDifferences() {
        Random r = new Random(6);
        for (Case k : CASES.subList(2, 4)) {
            for (Pool2d.Mode mode : Pool2d.Mode.values()) {
                double[] x = toDouble(distinct(r, k.n * k.h * k.w * k.c));
                double[] dy = toDouble(uniform(r, k.n * k.p.outH(k.h) * k.p.outW(k.w) * k.c, -1, 1));
                double[] dx = Pool2dNhwcReference.backward(mode, x, dy, k.n, k.h, k.w, k.c, k.p, true);
                checkGradient(mode + " " + k, v -> dot(dy, Pool2dNhwcReference.forward(mode, v, k.n, k.h, k.w, k.c, k.p, true)), x, dx);
            }
        }
    }
}
