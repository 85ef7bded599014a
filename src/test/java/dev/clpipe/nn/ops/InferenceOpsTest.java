package dev.clpipe.nn.ops;

import static dev.clpipe.nn.ops.OpTesting.*;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The inference-graph ops against their twins: channel_affine and zero_pad_nhwc
 * (elementwise.cl), and NHWC pooling with TensorFlow's asymmetric 'same' padding (extra
 * row/column after only), which the face-api nets need on odd maps.
 */
@Tag("kernel")
class InferenceOpsTest {
    @Test
    void channelAffineMatchesTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(71);
        // {pixels, channels}: one pixel, one channel, ragged, wide
        List<int[]> cases = cases(2, List.of(new int[] {1, 1}, new int[] {7, 3}, new int[] {33, 17}, new int[] {1000, 64}, new int[] {5, 1024}));
        try (ChannelAffine op = new ChannelAffine(ctx)) {
            for (int[] k : cases) {
                int pixels = k[0], c = k[1];
                float[] x = uniform(r, pixels * c, -100, 300);
                float[] sub = uniform(r, c, -50, 150), mul = uniform(r, c, -2, 2), add = uniform(r, c, -1, 1);
                try (ClBuffer bx = ctx.buffer(x); ClBuffer by = ctx.buffer((long) x.length * 4);
                     ClBuffer bs = ctx.buffer(sub); ClBuffer bm = ctx.buffer(mul); ClBuffer ba = ctx.buffer(add)) {
                    op.forward(bx, by, bs, bm, ba, c, pixels);
                    float[] want = ChannelAffineReference.forward(x, sub, mul, add);
                    Tolerance.FLOAT.assertClose(by.readFloats(ctx.queue()), want, "affine " + pixels + "x" + c);
                    op.forward(bx, bx, bs, bm, ba, c, pixels); // in place
                    Tolerance.FLOAT.assertClose(bx.readFloats(ctx.queue()), want, "affine in place " + pixels + "x" + c);
                }
            }
        }
    }

    @Test
    void zeroPadMatchesTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(72);
        record Case(int n, int h, int w, int c, ZeroPadNhwc.Pads pads) {}
        List<Case> cases = cases(2, List.of(
                new Case(1, 3, 1, 32, new ZeroPadNhwc.Pads(0, 1, 0, 1, 0)),     // face-api's zero row + column
                new Case(2, 5, 5, 32, new ZeroPadNhwc.Pads(0, 0, 0, 0, 32)),    // dlib shortcut 32 -> 64 channels
                new Case(3, 4, 7, 3, new ZeroPadNhwc.Pads(2, 1, 3, 0, 5)),      // every side at once
                new Case(1, 1, 1, 1, new ZeroPadNhwc.Pads(0, 0, 0, 0, 0))));    // identity copy
        try (ZeroPadNhwc op = new ZeroPadNhwc(ctx)) {
            for (Case k : cases) {
                float[] x = uniform(r, k.n() * k.h() * k.w() * k.c(), -1, 1);
                float[] want = ZeroPadNhwcReference.forward(x, k.n(), k.h(), k.w(), k.c(), k.pads());
                try (ClBuffer bx = ctx.buffer(x); ClBuffer by = ctx.buffer((long) want.length * 4)) {
                    by.fill(ctx.queue(), Float.NaN); // every output element must be written
                    op.forward(bx, by, k.n(), k.h(), k.w(), k.c(), k.pads());
                    Tolerance.EXACT.assertClose(by.readFloats(ctx.queue()), want, "zero pad " + k);
                }
            }
        }
    }

    @Test
    void poolingWithPaddingOnlyAfterMatchesTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(73);
        record Case(int n, int h, int w, int c, PoolWindow p) {}
        List<Case> cases = cases(2, List.of(
                new Case(1, 7, 7, 3, new PoolWindow(2, 2, 2, 2, 0, 1, 0, 1)),      // 'same' 2x2/2 on an odd map
                new Case(2, 5, 6, 4, new PoolWindow(2, 2, 1, 1, 0, 1, 0, 1)),      // 'same' 2x2/1 (tiny detector's last pool)
                new Case(1, 9, 8, 5, new PoolWindow(3, 3, 2, 2, 0, 1, 1, 1)),      // 'same' 3x3/2 on 9 rows, 8 columns
                new Case(3, 13, 13, 16, new PoolWindow(2, 2, 2, 2, 0, 1, 0, 1))));
        for (Pool2d.Mode mode : Pool2d.Mode.values()) {
            for (Case k : cases) {
                try (Pool2dNhwc op = new Pool2dNhwc(ctx, mode, k.p(), false)) {
                    float[] x = uniform(r, k.n() * k.h() * k.w() * k.c(), -3, -1); // all negative: a padded 0 would win a max
                    double[] want = Pool2dNhwcReference.forward(mode, toDouble(x), k.n(), k.h(), k.w(), k.c(), k.p(), false);
                    try (ClBuffer bx = ctx.buffer(x); ClBuffer by = ctx.buffer((long) want.length * 4);
                         ClBuffer arg = ctx.buffer((long) want.length * 4)) {
                        op.forward(bx, by, arg, k.n(), k.h(), k.w(), k.c());
                        Tolerance.FLOAT.assertClose(by.readFloats(ctx.queue()), toFloat(want), mode + " pool " + k);
                    }
                }
            }
        }
    }

    @Test
    void fusedMaxPoolActivationMatchesTheUnfusedTwins() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(74);
        record Case(int n, int h, int w, int c, PoolWindow p, float slope) {}
        List<Case> cases = cases(2, List.of(
                new Case(1, 10, 10, 16, new PoolWindow(2, 2, 2, 2, 0, 0, 0, 0), 0.1f),    // even map, leaky 0.1
                new Case(2, 9, 7, 5, new PoolWindow(2, 2, 2, 2, 0, 1, 0, 1), 0f),         // odd map, 'same' pool, relu
                new Case(1, 15, 13, 1, new PoolWindow(3, 3, 2, 2, 0, 0, 0, 0), 1f),       // 3x3/2 valid, no activation
                new Case(3, 6, 6, 33, new PoolWindow(2, 2, 1, 1, 0, 1, 0, 1), 0.2f)));    // 2x2/1 'same'
        try (FusedInference op = new FusedInference(ctx)) {
            for (Case k : cases) {
                float[] x = uniform(r, k.n() * k.h() * k.w() * k.c(), -3, 2);
                float[] want = FusedInferenceReference.maxPoolAct(x, k.n(), k.h(), k.w(), k.c(), k.p(), k.slope());
                try (ClBuffer bx = ctx.buffer(x); ClBuffer by = ctx.buffer((long) want.length * 4)) {
                    op.maxPoolAct(bx, by, k.n(), k.h(), k.w(), k.c(), k.p(), k.slope());
                    Tolerance.FLOAT.assertClose(by.readFloats(ctx.queue()), want, "pool+act " + k);
                }
            }
        }
    }
}
