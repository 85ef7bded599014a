package dev.clpipe.style;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.GraphBuilder;
import dev.clpipe.nn.graph.Node;
import dev.clpipe.nn.graph.Padding;
import dev.clpipe.nn.graph.Value;
import dev.clpipe.nn.ops.StyleOps;
import dev.clpipe.tensor.Layout;
import dev.clpipe.tensor.Tensor;
import dev.clpipe.testing.TestDevices;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole cost gradient dJ/dG on the device (content and style taps, every node kind of the
 * face-api backbones: full, strided and depthwise convs, relu6, leaky relu, max pool) against central
 * differences of the device cost along random directions.
 */
class FeatureNetworkTest {
    @Tag("kernel")
    @Test
    void costGradientMatchesDirectionalDifferences() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(21);
        int h = 12, w = 10;
        CostWeights weights = new CostWeights("b", List.of(new StyleLayer("a", 1), new StyleLayer("b", 0.5), new StyleLayer("d", 2)), 0.7, 300);
        try (StyleOps ops = new StyleOps(ctx); FeatureNetwork net = randomNetwork(ops, r, h, w, weights);
             Tensor c = pixels(ctx, r, h, w); Tensor s = pixels(ctx, r, h, w); Tensor g = pixels(ctx, r, h, w);
             StyleCost cost = new StyleCost(net, ops, weights, c, s);
             Tensor grad = g.emptyLike(); Tensor probe = g.emptyLike(); Tensor scratch = g.emptyLike()) {
            cost.evaluate(g, grad);
            float[] dj = grad.toHost(), g0 = g.toHost();
            for (int trial = 0; trial < 4; trial++) {
                float[] v = new float[g0.length];
                for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
                double analytic = 0;
                for (int i = 0; i < v.length; i++) analytic += (double) dj[i] * v[i];
                double step = 0.05; // pixels 0..255: large enough for float costs, small next to the kinks' spacing
                double up = cost.evaluate(probe.write(shifted(g0, v, step)), scratch).total();
                double down = cost.evaluate(probe.write(shifted(g0, v, -step)), scratch).total();
                double numeric = (up - down) / (2 * step);
                assertTrue(Math.abs(numeric - analytic) <= 0.02 * Math.abs(analytic) + 1e-6,
                        "trial " + trial + ": directional derivative " + analytic + ", central difference " + numeric);
            }
        }
    }

    /** conv 3x3 s2 + relu6 ("a"), depthwise 3x3 + leaky ("b"), max pool ("c"), pointwise + relu6 ("d"). */
    private static FeatureNetwork randomNetwork(StyleOps ops, Random r, int h, int w, CostWeights cost) {
        GraphBuilder g = Graph.builder();
        Value x = g.input(h, w, 3);
        x = g.relu6("a", g.conv("a/conv", x, weights(r, 3 * 3 * 3 * 6, 0.5), weights(r, 6, 1), 3, 3, 6, 2, Padding.SAME, 1));
        x = g.leakyRelu("b", g.conv("b/dw", x, weights(r, 3 * 3 * 6, 0.7), null, 3, 3, 6, 1, Padding.explicit(1), 6), 0.1f);
        x = g.maxPool("c", x, 2, 2, Padding.VALID);
        x = g.relu6("d", g.conv("d/pw", x, weights(r, 6 * 5, 0.7), weights(r, 5, 1), 1, 1, 5, 1, Padding.VALID, 1));
        Graph graph = g.build(x);
        Map<String, String> layers = new LinkedHashMap<>();
        for (Node n : graph.nodes().subList(1, graph.nodes().size())) layers.put(n.name(), n.name());
        return new FeatureNetwork("random", ops, graph, 1 / 127.5f, new float[] {-1, -0.9f, -1.1f}, layers, cost.layers());
    }

    private static float[] weights(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < a.length; i++) a[i] = (float) (scale * r.nextGaussian());
        return a;
    }

    private static Tensor pixels(ClContext ctx, Random r, int h, int w) {
        float[] p = new float[h * w * 3];
        for (int i = 0; i < p.length; i++) p[i] = 255 * r.nextFloat();
        return Tensor.fromHost(ctx, Layout.NHWC, p, 1, h, w, 3);
    }

    private static float[] shifted(float[] g, float[] v, double step) {
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) out[i] = (float) (g[i] + step * v[i]);
        return out;
    }
}
