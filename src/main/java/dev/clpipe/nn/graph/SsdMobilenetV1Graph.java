package dev.clpipe.nn.graph;

import dev.clpipe.nn.io.BatchNormWeights;
import dev.clpipe.nn.io.DepthwiseFilter;
import dev.clpipe.nn.io.SsdMobilenetV1Weights;

/**
 * face-api's SSD MobileNet v1 backbone (docs/face-models.md): conv0 3x3 stride 2, then 13
 * depthwise / pointwise pairs, relu6 after each convolution, all 'same'. The depthwise batch
 * norm folds into the filter and a bias. Input {@code x / 127.5 - 1}, normalised by the caller.
 * Nodes: {@code conv0}, {@code conv0/relu6}, {@code convI/depthwise}, {@code convI/depthwise/relu6},
 * {@code convI/pointwise}, {@code convI/relu6}.
 */
public final class SsdMobilenetV1Graph {
    private SsdMobilenetV1Graph() {}

    /** The backbone up to {@code conv13/relu6} for a normalised {@code height x width x 3} input. */
    public static Graph backbone(SsdMobilenetV1Weights w, int height, int width) {
        GraphBuilder g = Graph.builder();
        Value x = g.relu6("conv0/relu6", g.conv("conv0", g.input(height, width, 3), w.conv0(), 2, Padding.SAME));
        for (SsdMobilenetV1Weights.ConvPairWeights pair : w.pairs()) {
            String p = "conv" + pair.index();
            DepthwiseFilter f = pair.depthwise().filter();
            BatchNormWeights bn = pair.depthwise().batchNorm();
            float[] scale = bn.foldedScale(), filter = f.hwc().clone(); // [kh][kw][C]: HWIO of a grouped conv
            for (int i = 0; i < filter.length; i++) filter[i] *= scale[i % f.channels()];
            x = g.relu6(p + "/depthwise/relu6", g.conv(p + "/depthwise", x, filter, bn.foldedShift(), f.kh(), f.kw(), f.channels(),
                    pair.stride(), Padding.SAME, f.channels()));
            x = g.relu6(p + "/relu6", g.conv(p + "/pointwise", x, pair.pointwise(), 1, Padding.SAME));
        }
        return g.build(x);
    }
}
