package dev.clpipe.nn.ops;

import dev.clpipe.testing.Tolerance;
import org.junit.jupiter.api.Test;

/**
 * Dense backward through the GEMM twin: for Y = X * W^T + b and L = sum(Y * R), the transposed
 * GEMMs the dense layer uses (dX = R * W, dW = R^T * X, db = column sums of R) equal central finite
 * differences of L. GemmTest then ties every kernel variant to the twin for those transposes.
 */
class GemmGradientTest {
    private static final int BATCH = 3, IN = 5, OUT = 4;
    private static final double STEP = 1e-3;

    @Test
    void transposedGemmsAreTheDenseGradients() {
        float[] x = RandomArrays.uniform(21, BATCH * IN), w = RandomArrays.uniform(22, OUT * IN);
        float[] b = RandomArrays.uniform(23, OUT), r = RandomArrays.uniform(24, BATCH * OUT);
        float[] dx = GemmReference.run(GemmShape.of(BATCH, IN, OUT, false, false), r, w, null, null);
        float[] dw = GemmReference.run(GemmShape.of(OUT, IN, BATCH, true, false), r, x, null, null);
        float[] db = GemmReference.run(GemmShape.of(1, OUT, BATCH, false, false), ones(BATCH), r, null, null);
        Tolerance.GRADIENT.assertClose(toDouble(dx), numeric(x, () -> loss(x, w, b, r)), "dL/dX");
        Tolerance.GRADIENT.assertClose(toDouble(dw), numeric(w, () -> loss(x, w, b, r)), "dL/dW");
        Tolerance.GRADIENT.assertClose(toDouble(db), numeric(b, () -> loss(x, w, b, r)), "dL/db");
    }

    private static double loss(float[] x, float[] w, float[] b, float[] r) {
        double sum = 0;
        for (int i = 0; i < BATCH; i++) {
            for (int o = 0; o < OUT; o++) {
                double y = b[o];
                for (int k = 0; k < IN; k++) y += (double) x[i * IN + k] * w[o * IN + k];
                sum += y * r[i * OUT + o];
            }
        }
        return sum;
    }

    /** Central differences over the float inputs, dividing by the steps float rounding actually took. */
    private static double[] numeric(float[] values, java.util.function.DoubleSupplier loss) {
        double[] grad = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            float saved = values[i];
            values[i] = (float) (saved + STEP);
            double up = loss.getAsDouble();
            double upStep = values[i] - saved;
            values[i] = (float) (saved - STEP);
            double down = loss.getAsDouble();
            double downStep = saved - values[i];
            values[i] = saved;
            grad[i] = (up - down) / (upStep + downStep);
        }
        return grad;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    private static double[] toDouble(float[] v) {
        return Conv2dReference.toDouble(v);
    }
}
