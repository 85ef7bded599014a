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

class BatchNormTest {
    static final double EPS = 1e-5;
    static final List<int[]> SHAPES = List.of(
            new int[] {2, 3, 4, 5}, new int[] {1, 2, 3, 3}, new int[] {3, 5, 7, 1},
            new int[] {8, 16, 14, 14}, new int[] {4, 3, 33, 17}, new int[] {16, 64, 8, 8}, new int[] {2, 1, 1, 1});
    /**
     * (rows = N*H*W, channels) of BatchNormNhwc: one row, ragged last chunks (256 rows each), rows that are
     * no multiple of a work-group's rows, channels above a work-group's chunk items (256), odd channels.
     */
    static final List<int[]> NHWC_SHAPES = List.of(
            new int[] {7, 3}, new int[] {2 * 256 + 3, 33}, new int[] {257, 16}, new int[] {1, 1}, new int[] {256, 16},
            new int[] {1000, 5}, new int[] {3 * 784 + 1, 16}, new int[] {9 * 49, 32}, new int[] {300, 300}, new int[] {40 * 256 + 7, 16});

    @Test
    void backwardMatchesFiniteDifferences() {
        Random r = new Random(31);
        int n = 3, c = 2, hw = 5;
        double[] x = toDouble(uniform(r, n * c * hw, -2, 2));
        double[] gamma = toDouble(uniform(r, c, 0.5f, 1.5f));
        double[] beta = toDouble(uniform(r, c, -1, 1));
        double[] dy = toDouble(uniform(r, x.length, -1, 1));
        double[][] g = BatchNormReference.backward(x, dy, gamma, n, c, hw, EPS);
        checkGradient("batchnorm dx", v -> dot(dy, BatchNormReference.forwardTraining(v, gamma, beta, n, c, hw, EPS)), x, g[0]);
        checkGradient("batchnorm dgamma", v -> dot(dy, BatchNormReference.forwardTraining(x, v, beta, n, c, hw, EPS)), gamma, g[1]);
        checkGradient("batchnorm dbeta", v -> dot(dy, BatchNormReference.forwardTraining(x, gamma, v, n, c, hw, EPS)), beta, g[2]);
    }

    @Tag("kernel")
    @Test
    void kernelsMatchTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(32);
        try (BatchNorm op = new BatchNorm(ctx, (float) EPS, 0.1f)) {
            for (int[] s : cases(2, SHAPES)) {
                int n = s[0], c = s[1], hw = s[2] * s[3];
                float[] x = uniform(r, n * c * hw, -2, 5); // non-zero mean tests the two-pass variance
                float[] gamma = uniform(r, c, 0.5f, 1.5f), beta = uniform(r, c, -1, 1);
                float[] runMean = uniform(r, c, -1, 1), runVar = uniform(r, c, 0.5f, 2f);
                float[] dy = uniform(r, x.length, -1, 1);
                double[] wantRunMean = toDouble(runMean), wantRunVar = toDouble(runVar);
                BatchNormReference.updateRunning(toDouble(x), n, c, hw, 0.1, wantRunMean, wantRunVar);
                double[] wantY = BatchNormReference.forwardTraining(toDouble(x), toDouble(gamma), toDouble(beta), n, c, hw, EPS);
                double[][] wantG = BatchNormReference.backward(toDouble(x), toDouble(dy), toDouble(gamma), n, c, hw, EPS);
                double[] wantInfer = BatchNormReference.forwardInference(toDouble(x), toDouble(gamma), toDouble(beta), wantRunMean, wantRunVar, c, hw, EPS);
                try (Tensor tx = Tensor.fromHost(ctx, x, s); Tensor tg = Tensor.fromHost(ctx, gamma, c); Tensor tb = Tensor.fromHost(ctx, beta, c);
                     Tensor rm = Tensor.fromHost(ctx, runMean, c); Tensor rv = Tensor.fromHost(ctx, runVar, c);
                     Tensor tdy = Tensor.fromHost(ctx, dy, s);
                     BatchNorm.Training t = op.forwardTraining(tx, tg, tb, rm, rv);
                     BatchNorm.Gradients g = op.backward(tx, tdy, tg, t.mean(), t.invStd());
                     Tensor yi = op.forwardInference(tx, tg, tb, rm, rv)) {
                    String at = " " + shape(s);
                    Tolerance.FLOAT.assertClose(t.y().toHost(), toFloat(wantY), "train forward" + at);
                    Tolerance.FLOAT.assertClose(rm.toHost(), toFloat(wantRunMean), "running mean" + at);
                    Tolerance.FLOAT.assertClose(rv.toHost(), toFloat(wantRunVar), "running var" + at);
                    Tolerance.FLOAT.assertClose(yi.toHost(), toFloat(wantInfer), "inference forward" + at);
                    Tolerance.FLOAT_LONG_SUM.assertClose(g.dBeta().toHost(), toFloat(wantG[2]), "dbeta" + at);
                    Tolerance.FLOAT_LONG_SUM.assertClose(g.dGamma().toHost(), toFloat(wantG[1]), "dgamma" + at);
                    Tolerance.FLOAT_LONG_SUM.assertClose(g.dx().toHost(), toFloat(wantG[0]), "dx" + at);
                }
            }
        }
    }

    /**
     * BatchNormNhwc (chunked reductions and element-wise kernels on groups that follow the channels, grids
     * rounded up to whole groups) against the twin on the [rows, C] view: training forward, running
     * statistics, evaluation forward, dgamma, dbeta and dx.
     */
    @Tag("kernel")
    @Test
    void nhwcKernelsMatchTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(33);
        for (int[] s : cases(3, NHWC_SHAPES)) {
            int rows = s[0], c = s[1];
            float[] x = uniform(r, rows * c, -2, 5);
            float[] gamma = uniform(r, c, 0.5f, 1.5f), beta = uniform(r, c, -1, 1);
            float[] runMean = uniform(r, c, -1, 1), runVar = uniform(r, c, 0.5f, 2f);
            float[] dy = uniform(r, x.length, -1, 1);
            // [rows, C] is NCHW [rows, C, 1, 1] for the twin.
            double[] wantRunMean = toDouble(runMean), wantRunVar = toDouble(runVar);
            BatchNormReference.updateRunning(toDouble(x), rows, c, 1, 0.1, wantRunMean, wantRunVar);
            double[] wantY = BatchNormReference.forwardTraining(toDouble(x), toDouble(gamma), toDouble(beta), rows, c, 1, EPS);
            double[][] wantG = BatchNormReference.backward(toDouble(x), toDouble(dy), toDouble(gamma), rows, c, 1, EPS);
            double[] wantInfer = BatchNormReference.forwardInference(toDouble(x), toDouble(gamma), toDouble(beta), wantRunMean, wantRunVar, c, 1, EPS);
            try (BatchNormNhwc op = new BatchNormNhwc(ctx, rows, c); ClBuffer tx = ctx.buffer(x); ClBuffer tg = ctx.buffer(gamma);
                 ClBuffer tb = ctx.buffer(beta); ClBuffer rm = ctx.buffer(runMean); ClBuffer rv = ctx.buffer(runVar); ClBuffer tdy = ctx.buffer(dy);
                 ClBuffer y = ctx.buffer(x.length * 4L); ClBuffer yi = ctx.buffer(x.length * 4L); ClBuffer dx = ctx.buffer(x.length * 4L);
                 ClBuffer dGamma = ctx.buffer(c * 4L); ClBuffer dBeta = ctx.buffer(c * 4L)) {
                op.forwardTraining(tx, y, tg, tb, rm, rv, (float) EPS, 0.1f);
                op.backward(tx, tdy, tg, dGamma, dBeta, dx);
                op.forwardRunning(tx, yi, tg, tb, rm, rv, (float) EPS);
                String at = " rows " + rows + " x " + c;
                Tolerance.FLOAT.assertClose(read(ctx, y, x.length), toFloat(wantY), "train forward" + at);
                Tolerance.FLOAT.assertClose(read(ctx, rm, c), toFloat(wantRunMean), "running mean" + at);
                Tolerance.FLOAT.assertClose(read(ctx, rv, c), toFloat(wantRunVar), "running var" + at);
                Tolerance.FLOAT.assertClose(read(ctx, yi, x.length), toFloat(wantInfer), "evaluation forward" + at);
                Tolerance.FLOAT_LONG_SUM.assertClose(read(ctx, dBeta, c), toFloat(wantG[2]), "dbeta" + at);
                Tolerance.FLOAT_LONG_SUM.assertClose(read(ctx, dGamma, c), toFloat(wantG[1]), "dgamma" + at);
                Tolerance.FLOAT_LONG_SUM.assertClose(read(ctx, dx, x.length), toFloat(wantG[0]), "dx" + at);
            }
        }
    }

    private static float[] read(ClContext ctx, ClBuffer b, int n) {
        float[] out = new float[n];
        b.read(ctx.queue(), out);
        return out;
    }
}
