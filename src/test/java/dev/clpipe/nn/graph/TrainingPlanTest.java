package dev.clpipe.nn.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.LayerSpec;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Models;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.tensor.Npy;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The training plan of a zoo model's graph does bit for bit what {@link Network} does: the same
 * outputs in training and evaluation, the same parameter gradients, the same running statistics,
 * over two steps (dropout masks per step); the same parameter names, order, shapes and initial values.
 */
class TrainingPlanTest {
    @Test
    void zooPlansTrainBitForBitAsTheirNetworks() throws IOException {
        Map<String, ModelSpec> zoo = SpecGraphTest.zoo();
        assertSameTraining("every kind", SpecGraphTest.everyKind(), 3);
        for (String name : List.of("lenet5.yaml", "resnet-mnist.yaml", "inception-mnist.yaml")) assertSameTraining(name, zoo.get(name), 2);
    }

    @Test
    void initialValuesAndParameterListAreTheNetworks() {
        ClContext ctx = TestDevices.context();
        ModelSpec spec = Models.resnetMnist();
        try (Network net = new Network(ctx, spec, 1, 5); TrainingPlan plan = new TrainingPlan(ctx, SpecGraph.untrained(spec), 1, 5, false)) {
            plan.initialise(5);
            assertEquals(net.params().size(), plan.params().size());
            for (int k = 0; k < net.params().size(); k++) {
                Param a = net.params().get(k), b = plan.params().get(k);
                assertEquals(a.name(), b.name());
                assertArrayEquals(a.shape(), b.shape(), a.name());
                assertEquals(a.trainable(), b.trainable(), a.name());
                assertArrayEquals(a.value().readFloats(ctx.queue()), b.value().readFloats(ctx.queue()), a.name());
            }
            assertNull(plan.inputGradient());
        }
    }

    /** GoldenNetworkTest's model and PyTorch vectors: logits, every gradient and the input gradient. */
    @Test
    void gradientsAndInputGradientMatchPyTorch() throws Exception {
        ClContext ctx = TestDevices.context();
        ModelSpec spec = ModelSpec.of("golden", new Shape(8, 8, 2), List.of(
                new LayerSpec.Conv("conv1", 4, 3, 1, 1),
                new LayerSpec.Act("relu1", Activation.Kind.RELU),
                new LayerSpec.Pool("pool1", true, 2, 2, 0),
                new LayerSpec.Flatten("flat"),
                new LayerSpec.Dense("fc1", 5),
                new LayerSpec.Act("tanh1", Activation.Kind.TANH),
                new LayerSpec.Dense("fc2", 3)));
        Map<String, float[]> params = new LinkedHashMap<>();
        for (String p : List.of("conv1.weight", "conv1.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")) params.put(p, golden(p));
        float[] labels = golden("labels");
        int batch = labels.length;
        try (TrainingPlan plan = new TrainingPlan(ctx, SpecGraph.compile(spec, params), batch, 1, true)) {
            plan.input().write(ctx.queue(), golden("input"));
            plan.forward(true, 0);
            float[] logits = plan.output().readFloats(ctx.queue());
            Tolerance.FLOAT.assertClose(logits, golden("logits"), "logits");
            plan.outputGradient().write(ctx.queue(), meanCrossEntropyGradient(logits, labels, 3));
            plan.backward(0);
            for (Param p : plan.trainable()) {
                Tolerance.FLOAT.assertClose(p.grad().readFloats(ctx.queue()), golden(p.name() + ".grad"), p.name() + " gradient vs PyTorch");
            }
            Tolerance.FLOAT.assertClose(plan.inputGradient().readFloats(ctx.queue()), golden("input.grad"), "input gradient vs PyTorch");
        }
    }

    private static float[] golden(String name) throws Exception {
        return Npy.read(Path.of(TrainingPlanTest.class.getResource("/nn/golden/" + name + ".npy").toURI())).data();
    }

    /** d(mean softmax cross-entropy)/d logits, in double. */
    private static float[] meanCrossEntropyGradient(float[] logits, float[] labels, int classes) {
        int batch = labels.length;
        float[] g = new float[logits.length];
        for (int b = 0; b < batch; b++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int k = 0; k < classes; k++) max = Math.max(max, logits[b * classes + k]);
            for (int k = 0; k < classes; k++) sum += Math.exp(logits[b * classes + k] - max);
            for (int k = 0; k < classes; k++) {
                double p = Math.exp(logits[b * classes + k] - max) / sum;
                g[b * classes + k] = (float) ((p - (k == (int) labels[b] ? 1 : 0)) / batch);
            }
        }
        return g;
    }

    private static void assertSameTraining(String what, ModelSpec spec, int batch) {
        ClContext ctx = TestDevices.context();
        Random r = new Random(what.hashCode());
        long seed = 11;
        try (Network net = new Network(ctx, spec, batch, seed)) {
            Map<String, float[]> params = new LinkedHashMap<>();
            for (Param p : net.params()) {
                float[] v = p.value().readFloats(ctx.queue());
                if (p.name().endsWith("running_mean") || p.name().endsWith("bias")) v = DeviceGraphTest.uniform(r, v.length, -.2f, .2f);
                if (p.name().endsWith("running_var")) v = DeviceGraphTest.uniform(r, v.length, .5f, 2f);
                p.value().write(ctx.queue(), v);
                params.put(p.name(), v);
            }
            try (TrainingPlan plan = new TrainingPlan(ctx, SpecGraph.compile(spec, params), batch, seed, false)) {
                assertEquals(net.params().stream().map(Param::name).toList(), plan.params().stream().map(Param::name).toList(), what);
                for (long step = 3; step <= 4; step++) {
                    float[] input = DeviceGraphTest.uniform(r, batch * spec.input().size(), 0, 1);
                    float[] dy = DeviceGraphTest.uniform(r, batch * spec.output().size(), -1, 1);
                    net.input().write(ctx.queue(), input);
                    plan.input().write(ctx.queue(), input);
                    net.forward(true, step);
                    plan.forward(true, step);
                    String at = what + " step " + step;
                    assertArrayEquals(net.logits().readFloats(ctx.queue()), plan.output().readFloats(ctx.queue()), at + " training output");
                    net.logitsGradient().write(ctx.queue(), dy);
                    plan.outputGradient().write(ctx.queue(), dy);
                    net.backward(step);
                    plan.backward(step);
                    for (int k = 0; k < net.params().size(); k++) {
                        Param a = net.params().get(k), b = plan.params().get(k);
                        if (a.trainable()) assertArrayEquals(a.grad().readFloats(ctx.queue()), b.grad().readFloats(ctx.queue()), at + " " + a.name() + " gradient");
                        else assertArrayEquals(a.value().readFloats(ctx.queue()), b.value().readFloats(ctx.queue()), at + " " + a.name());
                    }
                    net.forward(false, step);
                    plan.forward(false, step);
                    assertArrayEquals(net.logits().readFloats(ctx.queue()), plan.output().readFloats(ctx.queue()), at + " evaluation output");
                }
            }
        }
    }
}
