package dev.clpipe.nn.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.Pool2d;
import dev.clpipe.nn.ops.ZeroPadNhwc;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Device graphs against {@link GraphReference} (the ops' plain-Java twins): small versions of
 * the three face-api architectures, and random graphs over every node kind, at several batch
 * sizes, each plan run twice to prove its recycled buffers carry nothing over. Tolerance
 * FLOAT_LONG_SUM: chains of up to a dozen float convolutions against double accumulation.
 */
@Tag("kernel")
class DeviceGraphTest {
    private static final Tolerance TOL = Tolerance.FLOAT_LONG_SUM;

    static float[] uniform(Random r, int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * r.nextFloat();
        return a;
    }

    /** He-like weights keep activations O(1) through the chain. */
    static float[] weights(Random r, int n, int fanIn) {
        float s = (float) Math.sqrt(3.0 / fanIn);
        return uniform(r, n, -s, s);
    }

    /** A tiny-face-detector-like chain: normalise, 'valid' conv, leaky, odd 'same' pools, separable convs, 1x1 head. */
    static Graph tinyDetectorLike(Random r, int size) {
        GraphBuilder g = Graph.builder();
        Value x = g.input(size, size, 3);
        x = g.normalize("normalize", x, new float[] {117f, 114.7f, 97.4f}, 1 / 255f);
        x = g.conv("conv0", x, weights(r, 27 * 8, 27), uniform(r, 8, -.1f, .1f), 3, 3, 8, 1, Padding.VALID, 1);
        int c = 8;
        for (int i = 1; i <= 2; i++) {
            x = g.leakyRelu("conv" + (i - 1) + "/leaky", g.maxPool("pool" + i, x, 2, 2, Padding.SAME), 0.1f); // fused: max pool + leaky
            Value d = g.conv("conv" + i + "/depthwise", x, weights(r, 9 * c, 9), null, 3, 3, c, 1, Padding.explicit(1), c);
            x = g.conv("conv" + i + "/pointwise", d, weights(r, c * 2 * c, c), uniform(r, 2 * c, -.1f, .1f), 1, 1, 2 * c, 1, Padding.VALID, 1);
            c *= 2;
        }
        x = g.leakyRelu("conv2/leaky", g.maxPool("pool_s1", x, 2, 1, Padding.SAME), 0.1f);
        x = g.conv("head", x, weights(r, c * 10, c), uniform(r, 10, -.1f, .1f), 1, 1, 10, 1, Padding.VALID, 1);
        return g.build(x);
    }

    /** A landmark-net-like dense block: stride-2 'same' convs, n-ary sums with relu, valid avg pool, dense. */
    static Graph denseBlockLike(Random r, int size) {
        GraphBuilder g = Graph.builder();
        Value x = g.input(size, size, 3);
        Value out1 = g.relu("out1", g.conv("conv0", x, weights(r, 27 * 8, 27), uniform(r, 8, -.1f, .1f), 3, 3, 8, 2, Padding.SAME, 1));
        Value out2 = sep(g, r, "conv1", out1, 8, 8, 1);
        Value out3 = sep(g, r, "conv2", g.relu("r12", g.add("s12", out1, out2)), 8, 8, 1);
        Value out4 = sep(g, r, "conv3", g.relu("r123", g.add("s123", out1, out2, out3)), 8, 8, 1);
        x = g.relu("block", g.add("s1234", out1, out2, out3, out4));
        Value d = sep(g, r, "down", x, 8, 12, 2);
        x = g.avgPool("avg", d, d.dims().height(), 2, Padding.VALID);
        x = g.dense("fc", x, weights(r, 12 * 6, 12), uniform(r, 6, -.1f, .1f), 6);
        return g.build(x);
    }

    private static Value sep(GraphBuilder g, Random r, String name, Value x, int c, int k, int stride) {
        Value d = g.conv(name + "/depthwise", x, weights(r, 9 * c, 9), null, 3, 3, c, stride, Padding.SAME, c);
        return g.conv(name + "/pointwise", d, weights(r, c * k, c), uniform(r, k, -.1f, .1f), 1, 1, k, 1, Padding.VALID, 1);
    }

    /** A dlib-ResNet-like chain: 7x7/2 valid conv + scale, 3x3/2 valid max pool, a residual-down block with zero row/column and zero channels, global mean, dense without bias. */
    static Graph resnetLike(Random r, int size) {
        GraphBuilder g = Graph.builder();
        Value x = g.input(size, size, 3);
        x = g.normalize("normalize", x, new float[] {122.782f, 117.001f, 104.298f}, 1 / 255f);
        x = g.conv("down/conv", x, weights(r, 49 * 3 * 8, 147), uniform(r, 8, -1e-4f, 1e-4f), 7, 7, 8, 2, Padding.VALID, 1);
        x = g.relu("down/relu", g.scaleOffset("down/scale", x, uniform(r, 8, .5f, 1.5f), uniform(r, 8, -.2f, .2f)));
        x = g.maxPool("pool", x, 3, 2, Padding.VALID);
        Value c1 = g.relu("res/relu1", g.conv("res/conv1", x, weights(r, 9 * 8 * 16, 72), null, 3, 3, 16, 2, Padding.VALID, 1));
        Value c2 = g.conv("res/conv2", c1, weights(r, 9 * 16 * 16, 144), null, 3, 3, 16, 1, Padding.SAME, 1);
        Value shortcut = g.avgPool("res/shortcut", x, 2, 2, Padding.VALID);
        int dh = shortcut.dims().height() - c2.dims().height(), dw = shortcut.dims().width() - c2.dims().width();
        Value out = g.zeroPad("res/align", c2, new ZeroPadNhwc.Pads(0, dh, 0, dw, 0));
        Value wide = g.zeroPad("res/widen", shortcut, new ZeroPadNhwc.Pads(0, 0, 0, 0, 8));
        x = g.relu("res/relu", g.add("res/add", out, wide));
        x = g.globalAvgPool("mean", x);
        return g.build(g.dense("fc", x, weights(r, 16 * 5, 16), null, 5));
    }

    /** An SSD-like net: relu6, depthwise 'same' stride 2 with batch-norm affine, two outputs. */
    static Graph ssdLike(Random r, int size) {
        GraphBuilder g = Graph.builder();
        Value x = g.input(size, size, 3);
        x = g.affine("preprocess", x, new float[3], new float[] {1 / 127.5f, 1 / 127.5f, 1 / 127.5f}, new float[] {-1, -1, -1});
        x = g.relu6("c0/relu6", g.conv("c0", x, weights(r, 27 * 8, 27), uniform(r, 8, -1, 1), 3, 3, 8, 2, Padding.SAME, 1));
        Value d = g.conv("d1", x, weights(r, 9 * 8, 9), null, 3, 3, 8, 2, Padding.SAME, 8);
        d = g.relu6("d1/relu6", g.affine("d1/bn", d, uniform(r, 8, -.5f, .5f), uniform(r, 8, .5f, 2), uniform(r, 8, -.5f, .5f)));
        Value p = g.relu6("p1/relu6", g.conv("p1", d, weights(r, 8 * 16, 8), uniform(r, 16, -1, 1), 1, 1, 16, 1, Padding.SAME, 1));
        Value box0 = g.conv("box0", x, weights(r, 8 * 12, 8), uniform(r, 12, -1, 1), 1, 1, 12, 1, Padding.SAME, 1);
        Value box1 = g.conv("box1", p, weights(r, 16 * 24, 16), uniform(r, 24, -1, 1), 1, 1, 24, 1, Padding.SAME, 1);
        return g.build(box0, box1);
    }

    /** A random chain of every node kind with random windows, strides and paddings. */
    static Graph randomGraph(Random r) {
        GraphBuilder g = Graph.builder();
        Value x = g.input(5 + r.nextInt(12), 5 + r.nextInt(12), 1 + r.nextInt(4));
        Value skip = x;
        int steps = 4 + r.nextInt(6);
        for (int s = 0; s < steps; s++) {
            Shape d = x.dims();
            String name = "n" + s;
            switch (r.nextInt(12)) {
                case 0, 1 -> {
                    int k = 1 + r.nextInt(Math.min(3, Math.min(d.height(), d.width())));
                    int stride = 1 + r.nextInt(2);
                    int groups = r.nextBoolean() ? 1 : d.channels();
                    int out = groups == 1 ? 1 + r.nextInt(9) : d.channels();
                    Padding p = List.of(Padding.SAME, Padding.VALID, Padding.explicit(r.nextInt(k), r.nextInt(k), r.nextInt(k), r.nextInt(k))).get(r.nextInt(3));
                    x = g.conv(name, x, weights(r, k * k * (d.channels() / groups) * out, k * k * d.channels() / groups),
                            r.nextBoolean() ? uniform(r, out, -.5f, .5f) : null, k, k, out, stride, p, groups);
                }
                case 2 -> x = g.activation(name, x, Activation.Kind.values()[r.nextInt(Activation.Kind.values().length)], 0.1f + r.nextFloat() * 0.2f);
                case 3 -> x = g.affine(name, x, uniform(r, d.channels(), -1, 1), uniform(r, d.channels(), -2, 2), uniform(r, d.channels(), -1, 1));
                case 4 -> {
                    int k = Math.min(1 + r.nextInt(3), Math.min(d.height(), d.width()));
                    Padding p = r.nextBoolean() ? Padding.SAME : Padding.VALID;
                    int stride = 1 + r.nextInt(2);
                    if (r.nextInt(3) == 0) { // PyTorch's average: explicit padding, counted in the divisor
                        x = g.pool(name, x, Pool2d.Mode.AVERAGE, k, k, stride, stride, Padding.explicit(r.nextInt(k)), true);
                    } else {
                        x = r.nextBoolean() ? g.maxPool(name, x, k, stride, p) : g.avgPool(name, x, k, stride, p);
                    }
                }
                case 5 -> x = skip.dims().equals(d) && skip.node() != x.node() ? g.add(name, x, skip, x) : g.relu(name, x);
                case 6 -> x = g.zeroPad(name, x, new ZeroPadNhwc.Pads(r.nextInt(2), r.nextInt(2), r.nextInt(2), r.nextInt(2), r.nextInt(3)));
                case 7 -> skip = x;
                case 8 -> x = g.batchNorm(name, x, uniform(r, d.channels(), .5f, 2), uniform(r, d.channels(), -1, 1),
                        uniform(r, d.channels(), -50, 50), uniform(r, d.channels(), .5f, 900), 1e-5f, 0.1f);
                case 9 -> x = g.dropout(name, x, r.nextFloat() * 0.5f); // the identity in inference, in place or copied
                case 10 -> x = r.nextInt(3) == 0 ? g.flatten(name, x) : g.relu(name, x);
                default -> x = g.leakyRelu(name, x, 0.1f);
            }
        }
        List<Value> outs = new ArrayList<>(List.of(x));
        if (r.nextBoolean()) outs.add(g.dense("fc", g.globalAvgPool("mean", x), weights(r, x.dims().channels() * 3, x.dims().channels()), uniform(r, 3, -1, 1), 3));
        return g.build(outs.toArray(new Value[0]));
    }

    static void assertMatches(DeviceGraph net, Graph graph, Random r, int batch, String what) {
        for (int repeat = 0; repeat < 2; repeat++) {
            float[] input = uniform(r, batch * graph.inputDims().size(), 0, 255);
            float[][] want = GraphReference.run(graph, input, batch);
            float[][] got = net.run(input, batch);
            assertEquals(want.length, got.length);
            for (int k = 0; k < want.length; k++) {
                assertEquals(batch * graph.outputDims(k).size(), got[k].length, what + " output " + k + " length");
                TOL.assertClose(got[k], want[k], what + " batch " + batch + " run " + repeat + " output " + k);
            }
        }
    }

    @Test
    void faceNetShapedGraphsMatchTheReference() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(81);
        boolean small = TestDevices.underOclgrind();
        List<Graph> graphs = List.of(tinyDetectorLike(r, small ? 18 : 33), denseBlockLike(r, small ? 12 : 28),
                resnetLike(r, small ? 31 : 41), ssdLike(r, small ? 12 : 32));
        for (Graph graph : graphs) {
            try (DeviceGraph net = new DeviceGraph(ctx, graph)) {
                for (int batch : small ? new int[] {2} : new int[] {1, 3}) {
                    assertMatches(net, graph, r, batch, graph.nodes().get(graph.nodes().size() - 1).name());
                }
            }
        }
    }

    @Test
    void randomGraphsMatchTheReference() {
        ClContext ctx = TestDevices.context();
        int count = TestDevices.underOclgrind() ? 3 : 40;
        for (int seed = 0; seed < count; seed++) {
            Random r = new Random(1000 + seed);
            Graph graph = randomGraph(r);
            try (DeviceGraph net = new DeviceGraph(ctx, graph)) {
                assertMatches(net, graph, r, 1 + r.nextInt(3), "random graph seed " + (1000 + seed) + " " + describe(graph));
            }
        }
    }

    private static String describe(Graph graph) {
        StringBuilder s = new StringBuilder();
        for (Node n : graph.nodes()) s.append(n.getClass().getSimpleName()).append(' ').append(n.out()).append("; ");
        return s.toString();
    }

    @Test
    void plansAreCachedPerBatchSizeAndRecycleBuffers() {
        ClContext ctx = TestDevices.context();
        Graph graph = tinyDetectorLike(new Random(82), 33);
        try (DeviceGraph net = new DeviceGraph(ctx, graph)) {
            BatchPlan two = net.plan(2);
            assertSame(two, net.plan(2));
            long naive = 0;
            for (Node n : graph.nodes()) naive += 2L * n.out().size() * Float.BYTES;
            List<String> steps = two.profile().stream().map(BatchPlan.NodeTime::name).toList();
            assertTrue(steps.contains("pool1+conv0/leaky") && steps.contains("pool2+conv1/leaky") && steps.contains("pool_s1+conv2/leaky"), "fused steps: " + steps);
            assertTrue(two.activationBytes() < naive / 2, "recycled " + two.activationBytes() + " bytes vs " + naive + " without recycling");
            net.keepPlans(List.of(1));
            assertTrue(net.plan(2) != two, "a dropped plan is rebuilt");
        }
    }

    @Test
    void builderNamesTheNodeInShapeErrors() {
        GraphBuilder g = Graph.builder();
        Value x = g.input(8, 8, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.conv("conv7", x, new float[10], null, 3, 3, 4, 1, Padding.SAME, 1));
        assertTrue(e.getMessage().startsWith("conv7: 10 weights, expected 108"), e.getMessage());
        Value y = g.relu("r", x);
        Value z = g.maxPool("p", x, 2, 2, Padding.VALID);
        e = assertThrows(IllegalArgumentException.class, () -> g.add("sum", y, z));
        assertTrue(e.getMessage().contains("sum: cannot add 4x4x3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.relu("r", x), "duplicate name");
    }

    @Test
    void samePaddingIsTensorFlowsAsymmetricSplit() {
        // 3x3 stride 2 on an even input: 0 before, 1 after; stride 1: 1 and 1; 2x2/2 on 207: 0 and 1.
        assertArrayEquals(new int[] {0, 1}, Padding.SAME.along(416, 3, 2, true));
        assertArrayEquals(new int[] {1, 1}, Padding.SAME.along(416, 3, 1, true));
        assertArrayEquals(new int[] {0, 1}, Padding.SAME.along(207, 2, 2, true));
        assertArrayEquals(new int[] {0, 0}, Padding.SAME.along(208, 2, 2, true));
        assertArrayEquals(new int[] {0, 1}, Padding.SAME.along(13, 2, 1, true));
        GraphBuilder g = Graph.builder();
        Value x = g.input(207, 207, 16);
        assertEquals(new Shape(104, 104, 16), g.maxPool("pool", x, 2, 2, Padding.SAME).dims());
        assertEquals(new Shape(205, 205, 4), g.conv("c", x, new float[9 * 16 * 4], null, 3, 3, 4, 1, Padding.VALID, 1).dims());
    }
}
