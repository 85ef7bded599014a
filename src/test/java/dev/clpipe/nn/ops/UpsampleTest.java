package dev.clpipe.nn.ops;

import static dev.clpipe.nn.ops.OpTesting.*;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.tensor.Tensor;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class UpsampleTest {
    /** (planes, h, w, outH, outW): 2x and 4x up, non-integer up, down, identity, single pixel. */
    static final List<int[]> CASES = List.of(
            new int[] {2, 3, 4, 6, 8}, new int[] {1, 5, 3, 7, 11}, new int[] {3, 8, 6, 5, 4}, new int[] {2, 1, 1, 3, 2},
            new int[] {1, 4, 4, 4, 4}, new int[] {6, 13, 13, 52, 52}, new int[] {4, 20, 15, 40, 30}, new int[] {2, 7, 9, 3, 17});

    @Test
    void backwardMatchesFiniteDifferences() {
        Random r = new Random(61);
        for (Upsample.Mode mode : Upsample.Mode.values()) {
            for (int[] k : CASES.subList(0, 5)) {
                double[] x = toDouble(uniform(r, k[0] * k[1] * k[2], -1, 1));
                double[] dy = toDouble(uniform(r, k[0] * k[3] * k[4], -1, 1));
                double[] dx = UpsampleReference.backward(mode, dy, k[0], k[1], k[2], k[3], k[4]);
                checkGradient(mode + " " + shape(k), v -> dot(dy, UpsampleReference.forward(mode, v, k[0], k[1], k[2], k[3], k[4])), x, dx);
            }
        }
    }

    @Tag("kernel")
    @Test
    void kernelsMatchTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(62);
        for (Upsample.Mode mode : Upsample.Mode.values()) {
            for (int[] k : cases(3, CASES)) {
                int[] in = {1, k[0], k[1], k[2]};
                float[] x = uniform(r, k[0] * k[1] * k[2], -1, 1);
                float[] dy = uniform(r, k[0] * k[3] * k[4], -1, 1);
                try (Upsample op = new Upsample(ctx, mode, k[3], k[4]); Tensor tx = Tensor.fromHost(ctx, x, in);
                     Tensor y = op.forward(tx); Tensor tdy = Tensor.fromHost(ctx, dy, y.shape()); Tensor dx = op.backward(tdy, in)) {
                    Tolerance.FLOAT.assertClose(y.toHost(), toFloat(UpsampleReference.forward(mode, toDouble(x), k[0], k[1], k[2], k[3], k[4])), mode + " forward " + shape(k));
                    Tolerance.FLOAT.assertClose(dx.toHost(), toFloat(UpsampleReference.backward(mode, toDouble(dy), k[0], k[1], k[2], k[3], k[4])), mode + " backward " + shape(k));
                }
            }
        }
    }

    /** NHWC twin = the NCHW twin on the transposed map (the given step is the NCHW op's in / out). */
    @Test
    void nhwcTwinIsTheNchwTwinTransposed() {
        Random r = new Random(63);
        for (Upsample.Mode mode : Upsample.Mode.values()) {
            for (int[] k : CASES) {
                int n = 2, c = k[0], h = k[1], w = k[2], oh = k[3], ow = k[4];
                float[] nhwc = uniform(r, n * h * w * c, -1, 1);
                float[] y = UpsampleReference.forwardNhwc(mode, nhwc, n, h, w, c, oh, ow, Upsample.scale(h, oh), Upsample.scale(w, ow));
                double[] want = UpsampleReference.forward(mode, toDouble(nchw(nhwc, n, h, w, c)), n * c, h, w, oh, ow);
                Tolerance.FLOAT.assertClose(y, nhwcOf(toFloat(want), n, oh, ow, c), mode + " nhwc " + shape(k));
            }
        }
    }

    /** The NHWC kernels with steps that are not in / out (ONNX scales 1.5, 2, 0.6, 3 give steps 1 / scale). */
    @Tag("kernel")
    @Test
    void nhwcKernelsMatchTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(64);
        float[][] scales = {{2, 2}, {1.5f, 1.5f}, {0.6f, 3}, {3, 1.25f}};
        for (Upsample.Mode mode : Upsample.Mode.values()) {
            for (int[] k : cases(3, CASES)) {
                for (float[] sc : scales) {
                    int n = 2, c = k[0], h = k[1], w = k[2];
                    int oh = Math.max(1, (int) Math.floor(h * sc[0])), ow = Math.max(1, (int) Math.floor(w * sc[1]));
                    float sh = (float) (1.0 / sc[0]), sw = (float) (1.0 / sc[1]);
                    float[] x = uniform(r, n * h * w * c, -1, 1);
                    float[] want = UpsampleReference.forwardNhwc(mode, x, n, h, w, c, oh, ow, sh, sw);
                    try (Upsample op = new Upsample(ctx, mode, oh, ow); ClBuffer xb = ctx.buffer(x); ClBuffer yb = ctx.buffer((long) want.length * Float.BYTES)) {
                        op.forwardNhwc(xb, yb, n, h, w, c, sh, sw);
                        Tolerance.FLOAT.assertClose(yb.readFloats(ctx.queue()), want, mode + " nhwc " + shape(k) + " scales " + sc[0] + "x" + sc[1]);
                    }
                }
            }
        }
    }

    private static float[] nchw(float[] nhwc, int n, int h, int w, int c) {
        float[] out = new float[nhwc.length];
        for (int b = 0; b < n; b++) for (int p = 0; p < h * w; p++) for (int ch = 0; ch < c; ch++) out[(b * c + ch) * h * w + p] = nhwc[(b * h * w + p) * c + ch];
        return out;
    }

    private static float[] nhwcOf(float[] nchw, int n, int h, int w, int c) {
        float[] out = new float[nchw.length];
        for (int b = 0; b < n; b++) for (int p = 0; p < h * w; p++) for (int ch = 0; ch < c; ch++) out[(b * h * w + p) * c + ch] = nchw[(b * c + ch) * h * w + p];
        return out;
    }
}
