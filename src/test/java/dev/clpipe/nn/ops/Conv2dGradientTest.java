package dev.clpipe.nn.ops;

import dev.clpipe.testing.Tolerance;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java twin's backward passes against central finite differences of its own forward pass,
 * in double, for the loss L = sum(y * r) with a fixed random r (so dL/dy = r). The kernels are
 * compared with the twin in {@link Conv2dTest}, which closes the chain.
 */
class Conv2dGradientTest {
    private static final double STEP = 1e-4;

    static List<Conv2dShape> shapes() {
        return List.of(
                Conv2dShape.input(2, 5, 4, 3).output(2).kernel(3).padding(1, 0, 2, 1).stride(2, 1).build(),
                Conv2dShape.input(1, 6, 6, 4).output(6).kernel(2).dilation(2).groups(2).same().build(),
                Conv2dShape.input(1, 5, 5, 3).output(3).kernel(3).groups(3).stride(2).padding(1).build(),
                Conv2dShape.input(1, 3, 4, 2).output(3).kernel(1).build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void backwardMatchesFiniteDifferences(Conv2dShape s) {
        double[] x = Conv2dReference.toDouble(RandomArrays.uniform(11, s.inputFloats()));
        double[] w = Conv2dReference.toDouble(RandomArrays.uniform(12, s.weightFloats()));
        double[] b = Conv2dReference.toDouble(RandomArrays.uniform(13, s.outChannels()));
        double[] r = Conv2dReference.toDouble(RandomArrays.uniform(14, s.outputFloats()));
        Tolerance.GRADIENT.assertClose(Conv2dReference.backwardData(s, r, w), numeric(x, () -> loss(s, x, w, b, r)), "dL/dx " + s);
        Tolerance.GRADIENT.assertClose(Conv2dReference.backwardWeights(s, x, r), numeric(w, () -> loss(s, x, w, b, r)), "dL/dw " + s);
        Tolerance.GRADIENT.assertClose(Conv2dReference.backwardBias(s, r), numeric(b, () -> loss(s, x, w, b, r)), "dL/db " + s);
    }

    private static double loss(Conv2dShape s, double[] x, double[] w, double[] b, double[] r) {
        double[] y = Conv2dReference.forward(s, x, w, b);
        double sum = 0;
        for (int i = 0; i < y.length; i++) sum += y[i] * r[i];
        return sum;
    }

    /** d loss / d values[i] for every i by central differences (values are perturbed in place and restored). */
    private static double[] numeric(double[] values, java.util.function.DoubleSupplier loss) {
        double[] grad = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double saved = values[i];
            values[i] = saved + STEP;
            double up = loss.getAsDouble();
            values[i] = saved - STEP;
            double down = loss.getAsDouble();
            values[i] = saved;
            grad[i] = (up - down) / (2 * STEP);
        }
        return grad;
    }
}
