package dev.clpipe.nn.ops;

import static dev.clpipe.nn.ops.OpTesting.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.tensor.Npy;
import dev.clpipe.tensor.Tensor;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of docs/tensors-and-ops.md, run end to end and checked against the twins. */
@Tag("kernel")
class TrainingStepExampleTest {
    @TempDir
    Path dir;

    @Test
    void chainOfOpsMatchesChainOfTwins() throws Exception {
        ClContext ctx = TestDevices.context();
        int n = 3, c = 5, h = 6, w = 4;
        Random r = new Random(81);
        float[] data = awayFromZero(r, n * c * h * w);
        int[] labels = {0, 4, 2};
        Npy.write(dir.resolve("batch.npy"), new int[] {n, c, h, w}, data);
        PoolWindow window = PoolWindow.of(2, 2, 0);
        float[] loss;
        float[] dXgot;
        try (Pool2d pool = new Pool2d(ctx, Pool2d.Mode.MAX, window);
             Activation relu = new Activation(ctx, Activation.Kind.RELU);
             GlobalAvgPool gap = new GlobalAvgPool(ctx);
             SoftmaxCrossEntropy xent = new SoftmaxCrossEntropy(ctx);
             Tensor x = Npy.read(dir.resolve("batch.npy")).toTensor(ctx);
             Tensor a = relu.forward(x); Tensor p = pool.forward(a); Tensor g = gap.forward(p);
             SoftmaxCrossEntropy.Result res = xent.forwardBackward(g, labels);
             Tensor dP = gap.backward(res.dLogits(), p.shape());
             Tensor dA = pool.backward(dP);
             Tensor dX = relu.backward(x, a, dA)) {
            loss = new float[] {res.lossValue()};
            dXgot = dX.toHost();
        }
        // The same chain through the twins.
        double[] xd = toDouble(data);
        double[] ad = ActivationReference.forward(Activation.Kind.RELU, 0, xd);
        int[] arg = new int[n * c * window.outH(h) * window.outW(w)];
        double[] pd = Pool2dReference.maxForward(ad, n, c, h, w, window, arg);
        double[] gd = Pool2dReference.globalAvgForward(pd, n, c, window.outH(h), window.outW(w));
        double wantLoss = SoftmaxCrossEntropyReference.loss(gd, labels, n, c);
        double[] dG = SoftmaxCrossEntropyReference.dLogits(gd, labels, n, c);
        double[] dPd = Pool2dReference.globalAvgBackward(dG, n, c, window.outH(h), window.outW(w));
        double[] dAd = Pool2dReference.maxBackward(dPd, arg, n, c, h, w, window);
        double[] dXd = ActivationReference.backward(Activation.Kind.RELU, 0, xd, ad, dAd);
        assertTrue(Tolerance.FLOAT.accepts(loss[0], wantLoss), "loss " + loss[0] + " vs " + wantLoss);
        Tolerance.FLOAT.assertClose(dXgot, toFloat(dXd), "dX through the chain");
    }
}
