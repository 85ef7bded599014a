package dev.clpipe.nn.graph;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.LayerSpec;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Models;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.tensor.Npy;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The training plan against PyTorch. {@code nn.Network} runs on it, so the network tests
 * (LayerTwinTest, GradientCheckTest, TransferTest, GoldenNetworkTest) test it layer by layer.
 */
class TrainingPlanTest {
    @Test
    void withoutTheInputGradientNoneIsComputed() {
        ClContext ctx = TestDevices.context();
        try (TrainingPlan plan = new TrainingPlan(ctx, SpecGraph.untrained(Models.lenet5()), 1, 5, false)) {
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
}
