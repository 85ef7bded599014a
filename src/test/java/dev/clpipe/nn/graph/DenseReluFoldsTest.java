package dev.clpipe.nn.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Models;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ReLUs folded into the dense layers' GEMMs ({@link DenseReluFolds}): which nodes fold, the fused plan's floats equal
 * the plan with every ReLU and convolution bias gradient as its own launches ({@link TrainingPlan#unfolded};
 * LeNet-5 trained a few steps, bit for bit), and its gradients equal
 * finite differences of {@link GraphReference} ({@link TrainingPlanNodesTest#finiteDifference}), on a graph where each half of a ReLU folds alone.
 */
class DenseReluFoldsTest {
    private static final int BATCH = TrainingPlanNodesTest.BATCH;

    @Test
    void lenet5FoldsBothDenseRelusBothWays() {
        Graph graph = SpecGraph.untrained(Models.lenet5());
        DenseReluFolds folds = DenseReluFolds.of(graph, graph.outputs().get(0), Set.of(), ReluFolds.find(graph, Set.of()));
        int relu3 = graph.indexOf("relu3"), relu4 = graph.indexOf("relu4");
        assertEquals(graph.indexOf("fc1"), folds.forwardInto(relu3));
        assertEquals(graph.indexOf("fc2"), folds.forwardInto(relu4));
        assertTrue(folds.gatedBackward(relu3) && folds.gatedBackward(relu4));
        assertTrue(folds.gatesDx(graph.indexOf("fc2")) && folds.gatesDx(graph.indexOf("fc3")) && !folds.gatesDx(graph.indexOf("fc1")));
        // the ReLUs after convolutions read no dense layer and feed pools
        assertEquals(-1, folds.forwardInto(graph.indexOf("relu1")));
        assertTrue(!folds.gatedBackward(graph.indexOf("relu2")));
        // a tapped or output ReLU keeps its launches
        DenseReluFolds tapped = DenseReluFolds.of(graph, graph.outputs().get(0), Set.of(relu3), ReluFolds.find(graph, Set.of(relu3)));
        assertEquals(-1, tapped.forwardInto(relu3));
        assertTrue(!tapped.gatedBackward(relu3) && !tapped.gatesDx(graph.indexOf("fc2")));
    }

    /** Three steps of softmax cross-entropy and SGD (host side, the same for both): every parameter equal bit for bit. */
    @Test
    void lenet5TrainsToTheSameWeightsAsTheUnfoldedPlan() {
        Graph graph = SpecGraph.untrained(Models.lenet5());
        ClContext ctx = TestDevices.context();
        int batch = 16;
        Random r = new Random(3);
        try (TrainingPlan folded = new TrainingPlan(ctx, graph, batch, 9, false);
                TrainingPlan unfolded = TrainingPlan.unfolded(ctx, graph, batch, 9, false)) {
            assertTrue(folded.describeKernels().contains("fc2=Gemm(relu out, relu-gated dx)"), folded.describeKernels());
            assertTrue(!unfolded.describeKernels().contains("=Gemm("), unfolded.describeKernels());
            folded.initialise(11);
            unfolded.initialise(11);
            for (int step = 0; step < 3; step++) {
                float[] x = new float[batch * graph.inputDims().size()];
                for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
                int[] labels = new int[batch];
                for (int i = 0; i < batch; i++) labels[i] = r.nextInt(10);
                float[] logitsFolded = trainStep(ctx, folded, x, labels, step);
                float[] logitsUnfolded = trainStep(ctx, unfolded, x, labels, step);
                Tolerance.assertSameBits(logitsFolded, logitsUnfolded, "logits at step " + step);
            }
            List<Param> a = folded.params(), b = unfolded.params();
            assertEquals(b.size(), a.size());
            for (int k = 0; k < a.size(); k++) {
                Tolerance.assertSameBits(a.get(k).value().readFloats(ctx.queue()), b.get(k).value().readFloats(ctx.queue()), a.get(k).name());
            }
        }
    }

    /**
     * fc1 -> relu1 read by fc2 and fc3 (forward folds, backward does not); sum(fc2, fc3) -> relu2 -> fc4 (backward folds,
     * forward does not); then relu3 folds both ways: gradients equal the unfolded plan's bit for bit and finite differences.
     */
    @Test
    void eachHalfFoldsAloneWithGradientsMatchingFiniteDifferences() {
        Random r = new Random(12);
        GraphBuilder g = Graph.builder();
        Value x0 = g.input(2, 3, 2);
        Value flat = g.flatten("flat", x0);
        Value fc1 = g.dense("fc1", flat, random(r, 12 * 9), random(r, 9), 9);
        Value relu1 = g.activation("relu1", fc1, Activation.Kind.RELU, 0);
        Value fc2 = g.dense("fc2", relu1, random(r, 9 * 7), random(r, 7), 7);
        Value fc3 = g.dense("fc3", relu1, random(r, 9 * 7), random(r, 7), 7);
        Value relu2 = g.activation("relu2", g.add("sum", fc2, fc3), Activation.Kind.RELU, 0);
        Value fc4 = g.dense("fc4", relu2, random(r, 7 * 6), random(r, 6), 6);
        Value relu3 = g.activation("relu3", fc4, Activation.Kind.RELU, 0);
        Value fc5 = g.dense("fc5", relu3, random(r, 6 * 4), random(r, 4), 4);
        Graph graph = g.build(fc5);
        DenseReluFolds folds = DenseReluFolds.of(graph, fc5.node(), Set.of(), ReluFolds.find(graph, Set.of()));
        assertEquals(fc1.node(), folds.forwardInto(relu1.node()));
        assertTrue(!folds.gatedBackward(relu1.node()));
        assertEquals(-1, folds.forwardInto(relu2.node()));
        assertTrue(folds.gatedBackward(relu2.node()) && folds.gatedBackward(relu3.node()));
        assertEquals(fc4.node(), folds.forwardInto(relu3.node()));

        ClContext ctx = TestDevices.context();
        float[] x = random(r, BATCH * graph.inputDims().size());
        float[] weights = random(r, BATCH * graph.outputDims(0).size());
        try (TrainingPlan folded = new TrainingPlan(ctx, graph, BATCH, 1, true);
                TrainingPlan unfolded = TrainingPlan.unfolded(ctx, graph, BATCH, 1, true)) {
            float[] dx = backward(ctx, folded, x, weights);
            Tolerance.assertSameBits(dx, backward(ctx, unfolded, x, weights), "input gradient");
            for (int k = 0; k < folded.params().size(); k++) {
                Param p = folded.params().get(k);
                Tolerance.assertSameBits(p.grad().readFloats(ctx.queue()), unfolded.params().get(k).grad().readFloats(ctx.queue()), p.name());
            }
            for (int i = 0; i < x.length; i++) {
                double fd = TrainingPlanNodesTest.finiteDifference(graph, x, i, x, weights);
                assertEquals(fd, dx[i], 2e-2 * Math.max(1, Math.abs(fd)), "dx[" + i + "]");
            }
            for (String name : List.of("fc1", "fc2", "fc4")) {
                Node.Dense d = (Node.Dense) graph.nodes().get(graph.indexOf(name));
                float[] grad = param(folded, name + ".bias").grad().readFloats(ctx.queue());
                for (int i = 0; i < d.bias().length; i++) {
                    double fd = TrainingPlanNodesTest.finiteDifference(graph, d.bias(), i, x, weights);
                    assertEquals(fd, grad[i], 2e-2 * Math.max(1, Math.abs(fd)), name + ".bias[" + i + "]");
                }
            }
        }
    }

    private static float[] trainStep(ClContext ctx, TrainingPlan plan, float[] x, int[] labels, long step) {
        plan.input().write(ctx.queue(), x);
        plan.forward(true, step);
        float[] logits = plan.output().readFloats(ctx.queue());
        int classes = logits.length / labels.length;
        float[] dy = new float[logits.length];
        for (int n = 0; n < labels.length; n++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < classes; c++) max = Math.max(max, logits[n * classes + c]);
            for (int c = 0; c < classes; c++) sum += Math.exp(logits[n * classes + c] - max);
            for (int c = 0; c < classes; c++) {
                double p = Math.exp(logits[n * classes + c] - max) / sum;
                dy[n * classes + c] = (float) ((p - (c == labels[n] ? 1 : 0)) / labels.length);
            }
        }
        plan.outputGradient().write(ctx.queue(), dy);
        plan.backward(step);
        for (Param p : plan.trainable()) {
            float[] w = p.value().readFloats(ctx.queue()), g = p.grad().readFloats(ctx.queue());
            for (int i = 0; i < w.length; i++) w[i] -= 0.05f * g[i];
            p.value().write(ctx.queue(), w);
        }
        return logits;
    }

    /** The input gradient after forward (evaluation mode) and backward from dL/dy = weights. */
    private static float[] backward(ClContext ctx, TrainingPlan plan, float[] x, float[] weights) {
        plan.input().write(ctx.queue(), x);
        plan.forward(false, 0);
        plan.outputGradient().write(ctx.queue(), weights);
        plan.backward(0);
        return plan.inputGradient().readFloats(ctx.queue());
    }

    private static Param param(TrainingPlan plan, String name) {
        return plan.params().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * 0.5);
        return a;
    }
}
