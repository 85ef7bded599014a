package dev.clpipe.style;

import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.StyleOps;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Conv2dShape;
import dev.clpipe.nn.ops.PoolWindow;
import dev.clpipe.tensor.Layout;
import dev.clpipe.tensor.Tensor;
import dev.clpipe.testing.TestDevices;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole cost gradient dJ/dG on the device (content and style taps, every step type of the
 * chains: full, strided and depthwise convs, relu6, leaky relu, max pool) against central
 * differences of the device cost along random directions.
 */
class FeatureChainTest {
    @Tag("kernel")
    @Test
    void costGradientMatchesDirectionalDifferences() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(21);
        int h = 12, w = 10;
        try (StyleOps ops = new StyleOps(ctx); FeatureChain chain = randomChain(ops, r, h, w);
             Tensor c = pixels(ctx, r, h, w); Tensor s = pixels(ctx, r, h, w); Tensor g = pixels(ctx, r, h, w);
             StyleCost cost = new StyleCost(chain, ops, new CostWeights("b",
                     List.of(new StyleLayer("a", 1), new StyleLayer("b", 0.5), new StyleLayer("d", 2)), 0.7, 300), c, s);
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

    /** conv 3x3 s2 + relu6 ("a"), depthwise 3x3 + leaky ("b"), max pool, pointwise + relu6 ("d"). */
    private static FeatureChain randomChain(StyleOps ops, Random r, int h, int w) {
        ClContext ctx = ops.context();
        List<FeatureStep> steps = new ArrayList<>();
        Conv2dShape s0 = Conv2dShape.input(1, h, w, 3).output(6).kernel(3).stride(2).same().build();
        steps.add(new ConvStep(ctx, "a/conv", s0, weights(r, s0.weightFloats(), 0.5), weights(r, 6, 1)));
        int[] shape = {s0.outHeight(), s0.outWidth(), 6};
        steps.add(new ActivationStep(ops.context(), "a", shape, Activation.Kind.RELU6, 0f));
        Conv2dShape s1 = Conv2dShape.input(1, shape[0], shape[1], 6).output(6).kernel(3).groups(6).padding(1).build();
        steps.add(new ConvStep(ctx, "b/dw", s1, weights(r, s1.weightFloats(), 0.7), null));
        steps.add(new ActivationStep(ctx, "b", shape, Activation.Kind.LEAKY_RELU, 0.1f));
        PoolWindow window = PoolWindow.of(2, 2, 0);
        steps.add(new MaxPoolStep(ctx, "c", shape, window));
        shape = new int[] {window.outH(shape[0]), window.outW(shape[1]), 6};
        Conv2dShape s2 = Conv2dShape.input(1, shape[0], shape[1], 6).output(5).kernel(1).build();
        steps.add(new ConvStep(ctx, "d/pw", s2, weights(r, s2.weightFloats(), 0.7), weights(r, 5, 1)));
        steps.add(new ActivationStep(ops.context(), "d", new int[] {shape[0], shape[1], 5}, Activation.Kind.RELU6, 0f));
        return new FeatureChain("random", ops, h, w, 1 / 127.5f, new float[] {-1, -0.9f, -1.1f}, steps);
    }

    private static float[] weights(Random r, long n, double scale) {
        float[] a = new float[(int) n];
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
