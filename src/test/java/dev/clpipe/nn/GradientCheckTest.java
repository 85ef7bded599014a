package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.train.SoftmaxCrossEntropy;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * End-to-end gradients of a tiny LeNet-like network: the Java reference's analytic gradients
 * against central finite differences of its loss (double precision), then the device network's
 * gradients (its own loss kernel included) against the reference.
 */
class GradientCheckTest {
    private static final int BATCH = 2;
    private static final ModelSpec TINY = ModelSpec.of("tiny", new Shape(6, 6, 2), List.of(
            new LayerSpec.Conv("conv1", 3, 3, 1, 1),
            new LayerSpec.Act("relu1", Activation.Kind.RELU),
            new LayerSpec.Pool("pool1", true, 2, 2, 0),
            new LayerSpec.BatchNorm("bn1", 1e-5f, 0.1f),
            new LayerSpec.Residual("res1", List.of(new LayerSpec.Conv("res1.conv", 3, 3, 1, 1), new LayerSpec.Act("res1.tanh", Activation.Kind.TANH))),
            new LayerSpec.Flatten("flat"),
            new LayerSpec.Dense("fc1", 5),
            new LayerSpec.Act("tanh1", Activation.Kind.TANH),
            new LayerSpec.Dense("fc2", 4)));
    private static final int[] LABELS = {1, 3};

    @Test
    void referenceGradientsMatchFiniteDifferences() {
        Random r = new Random(3);
        ReferenceNetwork ref = new ReferenceNetwork(TINY, BATCH, 1);
        for (Map.Entry<String, int[]> e : parameterShapes().entrySet()) ref.params.put(e.getKey(), NetTesting.random(r, e.getValue()[0], 0.7));
        double[] x = NetTesting.random(r, BATCH * TINY.input().size(), 1.0);
        ref.forward(x, 0);
        Map<String, double[]> grads = ref.backward(LABELS, 0);
        double h = 1e-6;
        for (String name : ref.params.keySet()) {
            double[] p = ref.params.get(name);
            double[] numeric = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                double keep = p[i];
                p[i] = keep + h;
                double up = ref.loss(x, LABELS, 0);
                p[i] = keep - h;
                double down = ref.loss(x, LABELS, 0);
                p[i] = keep;
                numeric[i] = (up - down) / (2 * h);
            }
            Tolerance.GRADIENT.assertClose(grads.get(name), numeric, "d loss / d " + name);
        }
        double[] numeric = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double up = ref.loss(x, LABELS, 0);
            x[i] = keep - h;
            double down = ref.loss(x, LABELS, 0);
            x[i] = keep;
            numeric[i] = (up - down) / (2 * h);
        }
        Tolerance.GRADIENT.assertClose(grads.get("input"), numeric, "d loss / d input");
    }

    @Test
    void deviceGradientsMatchReference() {
        ClContext cl = TestDevices.context();
        Random r = new Random(4);
        try (Network net = new Network(cl, TINY, BATCH, 1); SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(cl, BATCH, 4);
                ClBuffer labels = cl.buffer(BATCH * Integer.BYTES)) {
            ReferenceNetwork ref = new ReferenceNetwork(TINY, BATCH, 1);
            NetTesting.randomParams(net, ref, r);
            float[] x = NetTesting.floats(NetTesting.random(r, BATCH * TINY.input().size(), 1.0));
            net.input().write(cl.queue(), x);
            labels.write(cl.queue(), LABELS);
            net.forward(true, 0);
            loss.lossAndGradient(net.logits(), labels, net.logitsGradient(), 0);
            net.backward(0);
            double want = ref.loss(NetTesting.doubles(x), LABELS, 0);
            Map<String, double[]> grads = ref.backward(LABELS, 0);
            SoftmaxCrossEntropy.Totals t = loss.read();
            assertTrue(Tolerance.FLOAT.accepts(t.loss(), want), "loss " + t.loss() + " vs reference " + want);
            for (Param p : net.trainable()) {
                Tolerance.FLOAT.assertClose(p.grad().readFloats(cl.queue()), NetTesting.floats(grads.get(p.name())), p.name() + " gradient");
            }
        }
    }

    private static Map<String, int[]> parameterShapes() {
        return Map.of("conv1.weight", new int[] {3 * 3 * 2 * 3}, "conv1.bias", new int[] {3},
                "bn1.weight", new int[] {3}, "bn1.bias", new int[] {3}, "res1.conv.weight", new int[] {3 * 3 * 3 * 3}, "res1.conv.bias", new int[] {3},
                "fc1.weight", new int[] {5 * 27}, "fc1.bias", new int[] {5}, "fc2.weight", new int[] {4 * 5}, "fc2.bias", new int[] {4});
    }
}
