package dev.clpipe.nn.ops;

import static dev.clpipe.nn.ops.OpTesting.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.tensor.Tensor;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class SoftmaxCrossEntropyTest {
    static int[] labels(Random r, int n, int c) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = r.nextInt(c);
        return l;
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(21);
        int n = 4, c = 7;
        double[] x = toDouble(uniform(r, n * c, -3, 3));
        int[] l = labels(r, n, c);
        checkGradient("softmax-CE", v -> SoftmaxCrossEntropyReference.loss(v, l, n, c), x,
                SoftmaxCrossEntropyReference.dLogits(x, l, n, c));
    }

    @Tag("kernel")
    @Test
    void kernelMatchesTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(22);
        int[][] shapes = TestDevices.underOclgrind() ? new int[][] {{3, 5}, {1, 2}} : new int[][] {{3, 5}, {1, 2}, {64, 10}, {100, 1000}, {7, 3}, {130, 17}};
        try (SoftmaxCrossEntropy op = new SoftmaxCrossEntropy(ctx)) {
            for (int[] s : shapes) {
                int n = s[0], c = s[1];
                float[] x = uniform(r, n * c, -10, 10);
                int[] l = labels(r, n, c);
                try (Tensor logits = Tensor.fromHost(ctx, x, n, c); SoftmaxCrossEntropy.Result res = op.forwardBackward(logits, l);
                     Tensor p = op.softmax(logits)) {
                    double want = SoftmaxCrossEntropyReference.loss(toDouble(x), l, n, c);
                    assertTrue(Tolerance.FLOAT.accepts(res.lossValue(), want), "loss " + res.lossValue() + " vs " + want + " for " + shape(s));
                    Tolerance.FLOAT.assertClose(res.dLogits().toHost(), toFloat(SoftmaxCrossEntropyReference.dLogits(toDouble(x), l, n, c)), "dLogits " + shape(s));
                    Tolerance.FLOAT.assertClose(p.toHost(), toFloat(SoftmaxCrossEntropyReference.softmax(toDouble(x), n, c)), "softmax " + shape(s));
                }
            }
        }
    }

    @Tag("kernel")
    @Test
    void hugeLogitsStayFinite() {
        ClContext ctx = TestDevices.context();
        float[] x = {1000f, -1000f, 999f, 0f, 5000f, 5000f};
        try (SoftmaxCrossEntropy op = new SoftmaxCrossEntropy(ctx); Tensor logits = Tensor.fromHost(ctx, x, 2, 3);
             SoftmaxCrossEntropy.Result res = op.forwardBackward(logits, new int[] {2, 1})) {
            double want = SoftmaxCrossEntropyReference.loss(toDouble(x), new int[] {2, 1}, 2, 3);
            assertEquals(want, res.lossValue(), 1e-3);
            for (float g : res.dLogits().toHost()) assertTrue(Float.isFinite(g));
        }
    }

    @Tag("kernel")
    @Test
    void labelOutsideClassesIsRejected() {
        ClContext ctx = TestDevices.context();
        try (SoftmaxCrossEntropy op = new SoftmaxCrossEntropy(ctx); Tensor logits = Tensor.zeros(ctx, 2, 3)) {
            assertThrows(IllegalArgumentException.class, () -> op.forwardBackward(logits, new int[] {0, 3}));
        }
    }
}
