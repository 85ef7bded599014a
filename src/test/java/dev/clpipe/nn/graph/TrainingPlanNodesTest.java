package dev.clpipe.nn.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.ZeroPadNhwc;
import dev.clpipe.testing.TestDevices;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The training plan on the node kinds imported inference graphs use (grouped, depthwise, biasless
 * and non-square convolutions with 'same' and uneven padding, 'same' max and average pools,
 * affine maps, every activation, zero padding, global average pooling, sums of three, dense without bias,
 * evaluation-mode batch norm in a frozen plan): forward equals {@link GraphReference}, and the
 * input and weight gradients of L = sum(output * r) equal central finite differences of it.
 */
class TrainingPlanNodesTest {
    static final int BATCH = 2;

    @Test
    void everyInferenceNodeKindTrainsWithGradientsMatchingFiniteDifferences() {
        Random r = new Random(5);
        Graph graph = mixedGraph(r);
        ClContext ctx = TestDevices.context();
        float[] x = random(r, BATCH * graph.inputDims().size(), 1);
        float[] weights = random(r, BATCH * graph.outputDims(0).size(), 1);
        try (TrainingPlan plan = new TrainingPlan(ctx, graph, BATCH, 1, true)) {
            float[][] grads = run(ctx, plan, x, weights);
            assertClose(GraphReference.run(graph, x, BATCH)[0], grads[0], 1e-4, "forward");
            checkInputGradient(graph, x, weights, grads[1], r);
            for (Param p : plan.params()) {
                if (!p.trainable()) continue;
                float[] g = new float[p.size()];
                p.grad().read(ctx.queue(), g);
                float[] values = graphValues(graph, p.name());
                for (int probe = 0; probe < 6; probe++) {
                    int i = r.nextInt(values.length);
                    float[] dense = p.name().startsWith("fc.") ? null : values;
                    // dense weights are [out, in] in the plan and [in, out] in the graph
                    int gi = dense != null ? i : transposedIndex(graph, i);
                    double fd = finiteDifference(graph, values, gi, x, weights);
                    assertEquals(fd, g[i], 2e-2 * Math.max(1, Math.abs(fd)), p.name() + "[" + i + "]");
                }
            }
            assertEquals(6, plan.trainable().size(), "trainable " + plan.trainable());
        }
    }

    @Test
    void aFrozenPlanGivesInputAndTapGradientsWithoutWeightGradientBuffers() {
        Random r = new Random(8);
        GraphBuilder g = Graph.builder();
        Value x0 = g.input(8, 7, 4);
        Value c = g.conv("conv", x0, random(r, 3 * 3 * 4 * 6, 0.3f), random(r, 6, 0.1f), 3, 3, 6, 1, Padding.SAME, 1);
        Value bn = g.batchNorm("bn", c, random(r, 6, 1), random(r, 6, 0.2f), random(r, 6, 0.2f), positive(r, 6), 1e-3f, 0.1f);
        Value a = g.activation("act", bn, Activation.Kind.LEAKY_RELU, 0.1f);
        Value dw = g.conv("dw", a, random(r, 9 * 6, 0.3f), null, 3, 3, 6, 2, Padding.SAME, 6);
        Graph graph = g.build(dw);
        ClContext ctx = TestDevices.context();
        float[] x = random(r, BATCH * graph.inputDims().size(), 1);
        float[] outWeights = random(r, BATCH * graph.outputDims(0).size(), 1);
        float[] tapWeights = random(r, BATCH * graph.nodes().get(a.node()).out().size(), 1);
        try (TrainingPlan plan = TrainingPlan.frozen(ctx, graph, BATCH, Set.of(a.node(), dw.node()))) {
            assertTrue(plan.trainable().isEmpty());
            for (Param p : plan.params()) assertTrue(!p.trainable(), p.name() + " has a gradient buffer");
            plan.input().write(ctx.queue(), x);
            plan.forward(true, 0); // frozen: evaluation mode all the same
            plan.tapGradient(dw.node()).write(ctx.queue(), outWeights);
            plan.tapGradient(a.node()).write(ctx.queue(), tapWeights);
            plan.backward(0);
            float[] dx = new float[x.length];
            plan.inputGradient().read(ctx.queue(), dx);
            float[] y = new float[outWeights.length];
            plan.output().read(ctx.queue(), y);
            assertClose(GraphReference.run(graph, x, BATCH)[0], y, 1e-4, "frozen forward");
            Graph upToAct = new Graph(graph.nodes().subList(0, a.node() + 1), List.of(a.node()));
            for (int probe = 0; probe < 12; probe++) {
                int i = r.nextInt(x.length);
                double h = 1e-2;
                float saved = x[i];
                x[i] = (float) (saved + h);
                double up = loss(graph, x, outWeights) + loss(upToAct, x, tapWeights);
                x[i] = (float) (saved - h);
                double down = loss(graph, x, outWeights) + loss(upToAct, x, tapWeights);
                x[i] = saved;
                double fd = (up - down) / (2 * h);
                assertEquals(fd, dx[i], 2e-2 * Math.max(1, Math.abs(fd)), "dx[" + i + "]");
            }
        }
    }

    @Test
    void zeroPaddingBackwardCropsEveryCombinationOfRowsColumnsAndChannels() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(2);
        int[][] cases = {{0, 0, 0, 0, 0}, {0, 0, 0, 0, 2}, {1, 2, 0, 0, 0}, {0, 0, 1, 0, 0}, {2, 1, 0, 3, 0}, {1, 0, 0, 2, 5}, {0, 1, 1, 1, 1}};
        for (int[] k : cases) {
            ZeroPadNhwc.Pads pads = new ZeroPadNhwc.Pads(k[0], k[1], k[2], k[3], k[4]);
            GraphBuilder g = Graph.builder();
            Value x0 = g.input(4, 5, 3);
            Graph graph = g.build(g.zeroPad("pad", x0, pads));
            float[] x = random(r, BATCH * graph.inputDims().size(), 1), dy = random(r, BATCH * graph.outputDims(0).size(), 1);
            try (TrainingPlan plan = TrainingPlan.frozen(ctx, graph, BATCH, Set.of(1))) {
                float[][] got = run(ctx, plan, x, dy);
                assertClose(GraphReference.run(graph, x, BATCH)[0], got[0], 0, "forward " + pads);
                int oh = 4 + k[0] + k[1], ow = 5 + k[2] + k[3], oc = 3 + k[4];
                for (int n = 0; n < BATCH; n++) for (int y = 0; y < 4; y++) for (int xx = 0; xx < 5; xx++) for (int c = 0; c < 3; c++) {
                    float want = dy[((n * oh + y + k[0]) * ow + xx + k[2]) * oc + c];
                    assertEquals(want, got[1][((n * 4 + y) * 5 + xx) * 3 + c], 0, "dx " + pads);
                }
            }
        }
    }

    /** Affine, grouped conv (3x2 kernel, stride 2, 'same' uneven), depthwise, biasless conv, pools, every activation, zero pad, GAP, dense. */
    private static Graph mixedGraph(Random r) {
        GraphBuilder g = Graph.builder();
        Value x = g.input(9, 10, 4);
        x = g.affine("norm", x, random(r, 4, 0.2f), positive(r, 4), random(r, 4, 0.2f));
        Value grouped = g.conv("grouped", x, random(r, 3 * 2 * 2 * 6, 0.4f), random(r, 6, 0.1f), 3, 2, 6, 2, Padding.SAME, 2);
        Value a = g.activation("relu6", grouped, Activation.Kind.RELU6, 0);
        Value dw = g.conv("dw", a, random(r, 9 * 6, 0.4f), random(r, 6, 0.1f), 3, 3, 6, 1, Padding.explicit(1, 1, 0, 2), 6);
        Value hs = g.activation("hswish", dw, Activation.Kind.HARD_SWISH, 0);
        Value pw = g.conv("pw", hs, random(r, 6 * 6, 0.4f), null, 1, 1, 6, 1, Padding.VALID, 1);
        Value lk = g.activation("leaky", pw, Activation.Kind.LEAKY_RELU, 0.1f);
        Value sig = g.activation("sigmoid", a, Activation.Kind.SIGMOID, 0);
        Value th = g.activation("tanh", lk, Activation.Kind.TANH, 0);
        Value sum = g.add("sum3", sig, th, a);
        Value mp = g.maxPool("maxsame", sum, 2, 2, Padding.SAME);
        Value hsg = g.activation("hsigmoid", mp, Activation.Kind.HARD_SIGMOID, 0.2f);
        Value ap = g.avgPool("avgsame", hsg, 3, 1, Padding.SAME);
        Value relu = g.relu("relu", ap);
        Value pad = g.zeroPad("pad", relu, new ZeroPadNhwc.Pads(1, 0, 2, 1, 3));
        Value gap = g.globalAvgPool("gap", pad);
        Value fc = g.dense("fc", gap, random(r, 9 * 5, 0.5f), null, 5);
        return g.build(fc);
    }

    /** {output, input gradient} after forward (evaluation mode) and backward from dL/dy = weights. */
    private static float[][] run(ClContext ctx, TrainingPlan plan, float[] x, float[] weights) {
        plan.input().write(ctx.queue(), x);
        plan.forward(false, 0);
        plan.outputGradient().write(ctx.queue(), weights);
        plan.backward(0);
        float[] y = new float[weights.length], dx = new float[x.length];
        plan.output().read(ctx.queue(), y);
        plan.inputGradient().read(ctx.queue(), dx);
        return new float[][] {y, dx};
    }

    private static void checkInputGradient(Graph graph, float[] x, float[] weights, float[] dx, Random r) {
        for (int probe = 0; probe < 12; probe++) {
            int i = r.nextInt(x.length);
            double fd = finiteDifference(graph, x, i, x, weights);
            assertEquals(fd, dx[i], 2e-2 * Math.max(1, Math.abs(fd)), "dx[" + i + "]");
        }
    }

    /** dL/d(array[i]) by central differences; array is the input or a weight array the graph's node holds. */
    static double finiteDifference(Graph graph, float[] array, int i, float[] x, float[] weights) {
        double h = 1e-2;
        float saved = array[i];
        array[i] = (float) (saved + h);
        double up = loss(graph, x, weights);
        array[i] = (float) (saved - h);
        double down = loss(graph, x, weights);
        array[i] = saved;
        return (up - down) / (2 * h);
    }

    private static double loss(Graph graph, float[] x, float[] weights) {
        float[] y = GraphReference.run(graph, x, BATCH)[0];
        double sum = 0;
        for (int i = 0; i < y.length; i++) sum += (double) y[i] * weights[i];
        return sum;
    }

    /** The graph node's own array behind a plan parameter (the test perturbs it in place). */
    private static float[] graphValues(Graph graph, String param) {
        String node = param.substring(0, param.lastIndexOf('.')), kind = param.substring(param.lastIndexOf('.') + 1);
        Node n = graph.nodes().get(graph.indexOf(node));
        if (n instanceof Node.Conv c) return kind.equals("weight") ? c.weights() : c.bias();
        if (n instanceof Node.Dense d) return kind.equals("weight") ? d.weights() : d.bias();
        throw new IllegalArgumentException(param);
    }

    /** Index into the graph's [in, out] dense weights of the plan's [out, in] index i. */
    private static int transposedIndex(Graph graph, int i) {
        Node.Dense d = (Node.Dense) graph.nodes().get(graph.indexOf("fc"));
        int in = d.in().size();
        return (i % in) * d.out().channels() + i / in;
    }

    private static void assertClose(float[] want, float[] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], tol * Math.max(1, Math.abs(want[i])), what + "[" + i + "]");
    }

    private static float[] random(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * scale);
        return a;
    }

    private static float[] positive(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = 0.5f + r.nextFloat();
        return a;
    }
}
