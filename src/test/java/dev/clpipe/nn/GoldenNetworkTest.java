package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.SpecGraph;
import dev.clpipe.nn.graph.TrainingPlan;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.train.SoftmaxCrossEntropy;
import dev.clpipe.tensor.Npy;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole network against PyTorch: loss, logits and every gradient of a tiny LeNet-like model
 * written by {@code src/test/resources/nn/make_golden.py} (rerun it after changing the model
 * here, and commit the new {@code golden/*.npy}).
 */
class GoldenNetworkTest {
    private static final ModelSpec MODEL = ModelSpec.of("golden", new Shape(8, 8, 2), List.of(
            new LayerSpec.Dropout("id", 0f), // identity, so the network also computes the input gradient
            new LayerSpec.Conv("conv1", 4, 3, 1, 1),
            new LayerSpec.Act("relu1", Activation.Kind.RELU),
            new LayerSpec.Pool("pool1", true, 2, 2, 0),
            new LayerSpec.Flatten("flat"),
            new LayerSpec.Dense("fc1", 5),
            new LayerSpec.Act("tanh1", Activation.Kind.TANH),
            new LayerSpec.Dense("fc2", 3)));

    private static float[] golden(String name) throws Exception {
        return Npy.read(Path.of(GoldenNetworkTest.class.getResource("/nn/golden/" + name + ".npy").toURI())).data();
    }

    @Test
    void lossLogitsAndGradientsMatchPyTorch() throws Exception {
        ClContext cl = TestDevices.context();
        float[] labelValues = golden("labels");
        int[] labels = new int[labelValues.length];
        for (int i = 0; i < labels.length; i++) labels[i] = (int) labelValues[i];
        try (Network net = new Network(cl, MODEL, labels.length, 1); SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(cl, labels.length, 3);
                ClBuffer labelBuffer = cl.buffer((long) labels.length * Integer.BYTES)) {
            for (Param p : net.params()) p.value().write(cl.queue(), golden(p.name()));
            net.input().write(cl.queue(), golden("input"));
            labelBuffer.write(cl.queue(), labels);
            net.forward(true, 0);
            loss.lossAndGradient(net.logits(), labelBuffer, net.logitsGradient(), 0);
            net.backward(0);
            Tolerance.FLOAT.assertClose(net.logits().readFloats(cl.queue()), golden("logits"), "logits");
            double want = golden("loss")[0];
            double got = loss.read().loss();
            assertTrue(Tolerance.FLOAT.accepts(got, want), "loss " + got + ", PyTorch " + want + " (regenerate: make_golden.py)");
            for (Param p : net.trainable()) {
                Tolerance.FLOAT.assertClose(p.grad().readFloats(cl.queue()), golden(p.name() + ".grad"), p.name() + " gradient vs PyTorch");
            }
            Tolerance.FLOAT.assertClose(net.inputGradient(1).readFloats(cl.queue()), golden("input.grad"), "input gradient vs PyTorch");
        }
    }

    /** The training plan asked for the input gradient (what style transfer needs) gives PyTorch's, and none when not asked. */
    @Test
    void trainingPlanInputGradientMatchesPyTorch() throws Exception {
        ClContext cl = TestDevices.context();
        float[] labelValues = golden("labels");
        int[] labels = new int[labelValues.length];
        for (int i = 0; i < labels.length; i++) labels[i] = (int) labelValues[i];
        Map<String, float[]> params = new LinkedHashMap<>();
        for (String p : List.of("conv1.weight", "conv1.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")) params.put(p, golden(p));
        Graph graph = SpecGraph.compile(MODEL, params);
        try (TrainingPlan plan = new TrainingPlan(cl, graph, labels.length, 1, true); TrainingPlan without = new TrainingPlan(cl, graph, 1, 1, false);
                SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(cl, labels.length, 3); ClBuffer labelBuffer = cl.buffer((long) labels.length * Integer.BYTES)) {
            plan.input().write(cl.queue(), golden("input"));
            labelBuffer.write(cl.queue(), labels);
            plan.forward(true, 0);
            loss.lossAndGradient(plan.output(), labelBuffer, plan.outputGradient(), 0);
            plan.backward(0);
            Tolerance.FLOAT.assertClose(plan.inputGradient().readFloats(cl.queue()), golden("input.grad"), "plan input gradient vs PyTorch");
            assertNull(without.inputGradient());
        }
    }
}
