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

@Tag("kernel")
class OptimizerTest {
    static final int STEPS = 5;

    @Test
    void sgdKernelMatchesTwinOverSeveralSteps() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(71);
        List<Sgd.Config> configs = List.of(Sgd.Config.of(0.1f, 0f, 0f), Sgd.Config.of(0.05f, 0.9f, 1e-4f),
                new Sgd.Config(0.05f, 0.9f, 0.1f, 0f, false), new Sgd.Config(0.01f, 0.9f, 0f, 5e-4f, true));
        int n = TestDevices.underOclgrind() ? 67 : 1003;
        for (Sgd.Config c : configs) {
            float[] p0 = uniform(r, n, -1, 1);
            double[] p = toDouble(p0), buf = new double[n];
            try (Sgd sgd = new Sgd(ctx, c); Tensor tp = Tensor.fromHost(ctx, p0, n); Sgd.State state = new Sgd.State()) {
                for (int s = 0; s < STEPS; s++) {
                    float[] g = uniform(r, n, -1, 1);
                    OptimizerReference.sgd(p, toDouble(g), buf, c, s == 0);
                    try (Tensor tg = Tensor.fromHost(ctx, g, n)) {
                        sgd.step(tp, tg, state);
                    }
                }
                Tolerance.FLOAT.assertClose(tp.toHost(), toFloat(p), "sgd " + c);
            }
        }
    }

    @Test
    void adamKernelMatchesTwinOverSeveralSteps() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(72);
        List<Adam.Config> configs = List.of(Adam.Config.adam(1e-2f), new Adam.Config(1e-2f, 0.8f, 0.99f, 1e-6f, 1e-2f, false), Adam.Config.adamW(1e-2f));
        int n = TestDevices.underOclgrind() ? 67 : 1003;
        for (Adam.Config c : configs) {
            float[] p0 = uniform(r, n, -1, 1);
            double[] p = toDouble(p0), m = new double[n], v = new double[n];
            try (Adam adam = new Adam(ctx, c); Tensor tp = Tensor.fromHost(ctx, p0, n); Adam.State state = new Adam.State()) {
                for (int s = 1; s <= STEPS; s++) {
                    float[] g = uniform(r, n, -1, 1);
                    OptimizerReference.adam(p, toDouble(g), m, v, c, s);
                    try (Tensor tg = Tensor.fromHost(ctx, g, n)) {
                        adam.step(tp, tg, state);
                    }
                }
                Tolerance.FLOAT.assertClose(tp.toHost(), toFloat(p), "adam " + c);
            }
        }
    }
}
