package dev.clpipe.nn.ops;

import static dev.clpipe.nn.ops.OpTesting.*;

import dev.clpipe.cl.ClContext;
import dev.clpipe.tensor.Tensor;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ActivationTest {
    static final double SLOPE = 0.1;

    @Test
    void backwardMatchesFiniteDifferences() {
        Random r = new Random(11);
        for (Activation.Kind kind : Activation.Kind.values()) {
            double[] x = toDouble(awayFromZero(r, 50));
            double[] dy = toDouble(uniform(r, 50, -1, 1));
            double[] y = ActivationReference.forward(kind, SLOPE, x);
            double[] dx = ActivationReference.backward(kind, SLOPE, x, y, dy);
            checkGradient(kind.toString(), v -> dot(dy, ActivationReference.forward(kind, SLOPE, v)), x, dx);
        }
    }

    @Tag("kernel")
    @Test
    void kernelsMatchTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(12);
        // Whole and ragged work-group multiples, one element, and a large tensor.
        int[] sizes = TestDevices.underOclgrind() ? new int[] {1, 67} : new int[] {1, 64, 67, 1000, 4096, 100_003};
        for (Activation.Kind kind : Activation.Kind.values()) {
            try (Activation op = new Activation(ctx, kind, (float) SLOPE)) {
                for (int n : sizes) {
                    float[] x = uniform(r, n, -30, 30); // large |x| exercises the stable sigmoid
                    float[] dy = uniform(r, n, -1, 1);
                    double[] y = ActivationReference.forward(kind, SLOPE, toDouble(x));
                    double[] dx = ActivationReference.backward(kind, SLOPE, toDouble(x), y, toDouble(dy));
                    try (Tensor tx = Tensor.fromHost(ctx, x, n); Tensor ty = op.forward(tx);
                         Tensor tdy = Tensor.fromHost(ctx, dy, n); Tensor tdx = op.backward(tx, ty, tdy)) {
                        Tolerance.FLOAT.assertClose(ty.toHost(), toFloat(y), kind + " forward n=" + n);
                        // Backward from the kernel's own y: compare with the twin fed that same y.
                        double[] dxFromY = ActivationReference.backward(kind, SLOPE, toDouble(x), toDouble(ty.toHost()), toDouble(dy));
                        Tolerance.FLOAT.assertClose(tdx.toHost(), toFloat(dxFromY), kind + " backward n=" + n);
                        Tolerance.FLOAT.assertClose(tdx.toHost(), toFloat(dx), kind + " backward vs twin n=" + n);
                    }
                }
            }
        }
    }
}
