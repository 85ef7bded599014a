package dev.clpipe.style;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.io.FaceApiModels;
import dev.clpipe.nn.ops.Adam;
import dev.clpipe.nn.ops.StyleOps;
import dev.clpipe.tensor.Layout;
import dev.clpipe.tensor.Tensor;
import dev.clpipe.testing.TestDevices;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Temporary: the old FeatureChain cost beside the FeatureNetwork one over Adam iterations; they must be bit-equal. */
class ChainVsNetworkTest {
    @Test
    void tiny() throws Exception {
        compare("tiny_face_detector", new CostWeights("conv4", List.of(new StyleLayer("conv0", 1), new StyleLayer("conv1", 1),
                new StyleLayer("conv2", 1), new StyleLayer("pool2", 0.5), new StyleLayer("conv3/dw", 1), new StyleLayer("conv4", 1)), 1, 1e10));
    }

    @Test
    void ssd() throws Exception {
        compare("ssd_mobilenetv1", new CostWeights("conv7", List.of(new StyleLayer("conv1", 1), new StyleLayer("conv3/dw_relu", 1),
                new StyleLayer("conv5/pw", 1), new StyleLayer("conv7", 1), new StyleLayer("conv0/conv", 2)), 1, 1e8));
    }

    private static void compare(String network, CostWeights weights) throws Exception {
        Path models = FaceApiModels.defaultFolder();
        assumeTrue(FaceApiModels.missing(models).isEmpty());
        ClContext ctx = TestDevices.context();
        int h = 64, w = 96;
        Random r = new Random(4);
        float[] content = pixels(r, h, w), style = pixels(r, h, w), g0 = pixels(r, h, w);
        try (StyleOps ops = new StyleOps(ctx); FeatureChain chain = FeatureNets.load(network, models, ops, h, w);
             FeatureNetwork net = FeatureNetwork.load(network, models, ops, h, w, weights.layers());
             Tensor c = Tensor.fromHost(ctx, Layout.NHWC, content, 1, h, w, 3); Tensor s = Tensor.fromHost(ctx, Layout.NHWC, style, 1, h, w, 3);
             ChainStyleCost old = new ChainStyleCost(chain, ops, weights, c, s); StyleCost now = new StyleCost(net, ops, weights, c, s);
             Tensor ga = Tensor.fromHost(ctx, Layout.NHWC, g0, 1, h, w, 3); Tensor gb = Tensor.fromHost(ctx, Layout.NHWC, g0, 1, h, w, 3);
             Tensor da = ga.emptyLike(); Tensor db = gb.emptyLike();
             Adam adam = new Adam(ctx, new Adam.Config(8f, 0.9f, 0.999f, 1e-8f, 0f, false)); Adam.State sa = new Adam.State(); Adam.State sb = new Adam.State()) {
            for (int t = 0; t < 4; t++) {
                StyleCost.Value a = old.evaluate(ga, da), b = now.evaluate(gb, db);
                System.out.println(network + " it " + t + " old " + a + "\n" + network + " it " + t + " new " + b);
                assertEquals(a, b, "iteration " + t);
                assertArrayEquals(da.toHost(), db.toHost(), "gradient at iteration " + t);
                adam.step(ga, da, sa);
                adam.step(gb, db, sb);
                ops.clampPixels(ga.buffer(), 0, 255, ga.size());
                ops.clampPixels(gb.buffer(), 0, 255, gb.size());
            }
        }
    }

    private static float[] pixels(Random r, int h, int w) {
        float[] p = new float[h * w * 3];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int c = 0; c < 3; c++) {
            p[(y * w + x) * 3 + c] = (float) Math.min(255, Math.max(0, 128 + 90 * Math.sin(0.2 * x + c) * Math.cos(0.15 * y) + 20 * r.nextGaussian()));
        }
        return p;
    }
}
