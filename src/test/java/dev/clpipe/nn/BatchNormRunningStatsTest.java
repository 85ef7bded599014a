package dev.clpipe.nn;

import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A training forward moves the running statistics as PyTorch does (unbiased variance), and evaluation uses them. */
class BatchNormRunningStatsTest {
    @Test
    void runningStatisticsFollowPyTorch() {
        ClContext cl = TestDevices.context();
        Shape in = new Shape(5, 3, 4);
        int batch = 3, rows = batch * 15, c = 4;
        ModelSpec spec = ModelSpec.of("bn", in, List.of(new LayerSpec.BatchNorm("bn", 1e-5f, 0.1f)));
        double[] x = NetTesting.random(new Random(8), rows * c, 2.0);
        for (int i = 0; i < x.length; i++) x[i] += 3 + (i % c); // channel means far from zero
        try (Network net = new Network(cl, spec, batch, 1)) {
            net.input().write(cl.queue(), NetTesting.floats(x));
            net.forward(true, 0);
            double[] mean = new double[c], var = new double[c];
            for (int i = 0; i < x.length; i++) mean[i % c] += x[i] / rows;
            for (int i = 0; i < x.length; i++) var[i % c] += (x[i] - mean[i % c]) * (x[i] - mean[i % c]) / (rows - 1);
            float[] wantMean = new float[c], wantVar = new float[c];
            for (int k = 0; k < c; k++) {
                wantMean[k] = (float) (0.1 * mean[k]);
                wantVar[k] = (float) (0.9 + 0.1 * var[k]);
            }
            Param runMean = net.params().get(2), runVar = net.params().get(3);
            Tolerance.FLOAT.assertClose(runMean.value().readFloats(cl.queue()), wantMean, "running mean");
            Tolerance.FLOAT.assertClose(runVar.value().readFloats(cl.queue()), wantVar, "running variance");
            net.forward(false, 0); // evaluation: (x - runMean) / sqrt(runVar + eps), gamma 1, beta 0
            float[] y = net.logits().readFloats(cl.queue()), want = new float[y.length];
            for (int i = 0; i < y.length; i++) want[i] = (float) ((x[i] - wantMean[i % c]) / Math.sqrt(wantVar[i % c] + 1e-5));
            Tolerance.FLOAT.assertClose(y, want, "evaluation output");
        }
    }
}
