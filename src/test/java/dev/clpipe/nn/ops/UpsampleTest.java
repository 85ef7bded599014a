package dev.clpipe.nn.ops;

import static dev.clpipe.nn.ops.OpTesting.*;

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
}
