package dev.clpipe.style;

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

/**
 * Style-transfer costs on the real face-api backbones over four Adam steps (96x64 synthetic
 * images, content, pooled, depthwise, pointwise and first-conv layers) against the values the
 * retired {@code FeatureChain} gave (commit a119bc6 ran it beside {@link FeatureNetwork}: costs
 * and pixel gradients were bit-equal on PoCL). The tolerance leaves room for other kernel choices.
 */
class StyleCostGoldenTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void tinyFaceDetectorCostsAreTheFeatureChains() throws Exception {
        check("tiny_face_detector", new CostWeights("conv4", List.of(new StyleLayer("conv0", 1), new StyleLayer("conv1", 1),
                new StyleLayer("conv2", 1), new StyleLayer("pool2", 0.5), new StyleLayer("conv3/dw", 1), new StyleLayer("conv4", 1)), 1, 1e10),
                new double[][] {{2345.4427606101885, 0.5196731304749846, 2.3449230874797137E-7},
                                {1056382.9737088727, 0.7096088944235817, 1.0563822640999783E-4},
                                {72404.48579473051, 0.5148493924643844, 7.240397094533805E-6},
                                {490071.6094791364, 0.4895753578748554, 4.9007111990377855E-5}});
    }

    @Test
    void ssdMobilenetV1CostsAreTheFeatureChains() throws Exception {
        check("ssd_mobilenetv1", new CostWeights("conv7", List.of(new StyleLayer("conv1", 1), new StyleLayer("conv3/dw_relu", 1),
                new StyleLayer("conv5/pw", 1), new StyleLayer("conv7", 1), new StyleLayer("conv0/conv", 2)), 1, 1e8),
                new double[][] {{2638060.3038593777, 558.5270233154297, 0.026375017768360622},
                                {3.569626642458607E7, 1547.5614824295044, 0.3569471886310364},
                                {1.162427075610444E7, 843.6814374923706, 0.11623427074666948},
                                {9500933.85555171, 681.3691172599792, 0.0950025248643445}});
    }

    /** {total, content, style} per iteration. */
    private static void check(String network, CostWeights weights, double[][] want) throws Exception {
        Path models = FaceApiModels.defaultFolder();
        assumeTrue(FaceApiModels.missing(models).isEmpty(), "face-api models not found in " + models);
        ClContext ctx = TestDevices.context();
        int h = 64, w = 96;
        Random r = new Random(4);
        float[] content = pixels(r, h, w), style = pixels(r, h, w), g0 = pixels(r, h, w);
        try (StyleOps ops = new StyleOps(ctx); FeatureNetwork net = FeatureNetwork.load(network, models, ops, h, w, weights.layers());
             Tensor c = Tensor.fromHost(ctx, Layout.NHWC, content, 1, h, w, 3); Tensor s = Tensor.fromHost(ctx, Layout.NHWC, style, 1, h, w, 3);
             StyleCost cost = new StyleCost(net, ops, weights, c, s);
             Tensor g = Tensor.fromHost(ctx, Layout.NHWC, g0, 1, h, w, 3); Tensor grad = g.emptyLike();
             Adam adam = new Adam(ctx, new Adam.Config(8f, 0.9f, 0.999f, 1e-8f, 0f, false)); Adam.State state = new Adam.State()) {
            for (int t = 0; t < want.length; t++) {
                StyleCost.Value v = cost.evaluate(g, grad);
                double[] got = {v.total(), v.content(), v.style()};
                for (int k = 0; k < 3; k++) assertEquals(want[t][k], got[k], TOLERANCE * Math.abs(want[t][k]), network + " iteration " + t + " part " + k);
                adam.step(g, grad, state);
                ops.clampPixels(g.buffer(), 0, 255, g.size());
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
