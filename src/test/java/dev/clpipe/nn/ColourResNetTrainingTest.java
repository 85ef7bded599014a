package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.train.SoftmaxCrossEntropy;
import dev.clpipe.nn.train.Trainer;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The zoo's small colour ResNet (ResNet-20 layout, {@link Models#cifarResNet}) trains correctly:
 * at a small shape the device network's loss and every parameter gradient match the double-precision
 * Java twin (batch norm, residual adds, stride-2 convs, global average pooling included), and the
 * ResNet-20 layout (at 16x16, half width) lowers its loss within a few steps on tiny colour data.
 */
class ColourResNetTrainingTest {
    @Test
    void scaledDownResNet20GradientsMatchTheJavaReference() {
        ModelSpec tiny = Models.cifarResNet("tiny-resnet20", new Shape(8, 8, 3), 4, 2, 5);
        int batch = 3;
        int[] labels = {4, 0, 2};
        ClContext cl = TestDevices.context();
        Random r = new Random(11);
        try (Network net = new Network(cl, tiny, batch, 1); SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(cl, batch, 5);
                ClBuffer labelBuffer = cl.buffer(batch * Integer.BYTES)) {
            ReferenceNetwork ref = new ReferenceNetwork(tiny, batch, 1);
            NetTesting.randomParams(net, ref, r);
            float[] x = NetTesting.floats(NetTesting.random(r, batch * tiny.input().size(), 1.0));
            net.input().write(cl.queue(), x);
            labelBuffer.write(cl.queue(), labels);
            net.forward(true, 0);
            loss.lossAndGradient(net.logits(), labelBuffer, net.logitsGradient(), 0);
            net.backward(0);
            double want = ref.loss(NetTesting.doubles(x), labels, 0);
            Map<String, double[]> grads = ref.backward(labels, 0);
            double got = loss.read().loss();
            assertTrue(Tolerance.FLOAT.accepts(got, want), "loss " + got + " vs reference " + want);
            int checked = 0;
            for (Param p : net.trainable()) {
                Tolerance.FLOAT.assertClose(p.grad().readFloats(cl.queue()), NetTesting.floats(grads.get(p.name())), p.name() + " gradient");
                checked++;
            }
            assertTrue(checked >= 30, "every conv, batch-norm and dense parameter is compared, got " + checked);
        }
    }

    @Test
    void resnet20LossFallsOnTinyColourData() {
        // ResNet-20's depth and layout at 16x16 and half width (1/16 of its FLOPs): a fast test on a shared CPU
        ModelSpec model = Models.cifarResNet("resnet20-16px-half", new Shape(16, 16, 3), 8, 3, 10);
        ClContext cl = TestDevices.context();
        TrainSettings settings = new TrainSettings(32, 4, OptimizerSpec.adam(2e-3, 0), LrSchedule.constant(), 5, 1 << 20);
        try (Trainer t = new Trainer(cl, model, settings); DeviceDataset data = new DeviceDataset(cl, patterns(model.input(), 128), 0.5f, 0.25f)) {
            double before = t.evaluate(data).loss();
            for (int e = 0; e < 4; e++) t.trainEpoch(data, n -> { }, () -> false);
            double after = t.evaluate(data).loss();
            assertTrue(before > 1.0, "an untrained 10-output model starts near ln 10, got " + before);
            assertTrue(after < 0.5 * before, "loss after 16 steps " + after + " should be well below its start " + before);
        }
    }

    /** Four of the ten classes used, each a random colour image plus noise. */
    private static Dataset patterns(Shape shape, int count) {
        Random r = new Random(5);
        byte[][] prototypes = new byte[4][shape.size()];
        for (byte[] p : prototypes) r.nextBytes(p);
        byte[] images = new byte[count * shape.size()];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 4;
            for (int k = 0; k < shape.size(); k++) images[i * shape.size() + k] = (byte) (0.7 * (prototypes[labels[i]][k] & 0xFF) + 0.3 * r.nextInt(256));
        }
        return new Dataset("colour-patterns", images, labels, shape, 10);
    }
}
