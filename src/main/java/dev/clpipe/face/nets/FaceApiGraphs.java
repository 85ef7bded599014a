package dev.clpipe.face.nets;

import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.GraphBuilder;
import dev.clpipe.nn.graph.Padding;
import dev.clpipe.nn.graph.Value;
import dev.clpipe.nn.io.ConvWeights;
import dev.clpipe.nn.io.FaceLandmark68Weights;
import dev.clpipe.nn.io.FaceRecognitionWeights;
import dev.clpipe.nn.io.SeparableConvWeights;
import dev.clpipe.nn.ops.ZeroPadNhwc;

/**
 * face-api's 68-point landmark net and face recognition ResNet as device graphs, layer by layer
 * as docs/face-models.md §4 and §5 describe them (and as the golden tests in nn/io check).
 * Inputs are NHWC RGB 0..255; each graph normalises first.
 */
public final class FaceApiGraphs {
    private FaceApiGraphs() {}

    /** 112x112x3 → 136 values: (x, y) of the 68 points relative to the padded square (§4). */
    public static Graph landmarks(FaceLandmark68Weights w) {
        GraphBuilder g = Graph.builder();
        int size = FaceLandmark68Weights.INPUT_SIZE;
        Value x = g.normalize("normalize", g.input(size, size, 3), FaceLandmark68Weights.meanRgb(), 1 / 255f);
        for (FaceLandmark68Weights.DenseBlockWeights b : w.blocks()) {
            String n = b.name();
            Value out1 = b.conv0() instanceof ConvWeights c
                    ? g.conv(n + "/conv0", x, c, 2, Padding.SAME)
                    : g.separable(n + "/conv0", x, (SeparableConvWeights) b.conv0(), 2, Padding.SAME);
            // dense block: out1 = relu(conv0); each separable conv sees relu(sum of all earlier outputs);
            // the block returns relu(sum of all)
            Value sum = g.relu(n + "/conv0/relu", out1);
            for (int i = 0; i < b.convs().size(); i++) {
                Value next = g.separable(n + "/conv" + (i + 1), g.relu(n + "/relu" + i, sum), b.convs().get(i), 1, Padding.SAME);
                sum = g.add(n + "/sum" + (i + 1), sum, next);
            }
            x = g.relu(n + "/out", sum);
        }
        x = g.globalAvgPool("avg", x); // avgPool(k = 7, stride 2, 'valid') on the 7x7 map
        return g.build(g.dense("fc", x, w.fc()));
    }

    /** 150x150x3 → the 128-D descriptor (§5). */
    public static Graph recognition(FaceRecognitionWeights w) {
        GraphBuilder g = Graph.builder();
        int size = FaceRecognitionWeights.INPUT_SIZE;
        Value x = g.normalize("normalize", g.input(size, size, 3), FaceRecognitionWeights.meanRgb(), 1 / 255f);
        x = g.relu("conv32_down/relu", convLayer(g, "conv32_down", x, w.conv32Down(), 2, Padding.VALID));
        x = g.maxPool("pool", x, 3, 2, Padding.VALID);
        for (FaceRecognitionWeights.ResidualWeights r : w.residuals()) {
            String n = r.name();
            Value h = g.relu(n + "/conv1/relu", convLayer(g, n + "/conv1", x, r.conv1(), r.down() ? 2 : 1, r.down() ? Padding.VALID : Padding.SAME));
            Value out = convLayer(g, n + "/conv2", h, r.conv2(), 1, Padding.SAME);
            Value shortcut = x;
            if (r.down()) {
                shortcut = g.avgPool(n + "/shortcut", x, 2, 2, Padding.VALID);
                int dh = shortcut.dims().height() - out.dims().height(), dw = shortcut.dims().width() - out.dims().width();
                if (dh > 0 || dw > 0) out = g.zeroPad(n + "/pad", out, new ZeroPadNhwc.Pads(0, dh, 0, dw, 0));
                int dc = out.dims().channels() - shortcut.dims().channels();
                if (dc > 0) shortcut = g.zeroPad(n + "/shortcut_pad", shortcut, new ZeroPadNhwc.Pads(0, 0, 0, 0, dc));
            }
            x = g.relu(n + "/out", g.add(n + "/sum", out, shortcut));
        }
        x = g.globalAvgPool("mean", x);
        return g.build(g.dense("fc", x, w.fc()));
    }

    /** conv + bias, then the scale layer (folded batch norm), no activation. */
    private static Value convLayer(GraphBuilder g, String name, Value x, FaceRecognitionWeights.ConvLayerWeights l, int stride, Padding padding) {
        Value y = g.conv(name, x, l.conv(), stride, padding);
        return g.scaleOffset(name + "/scale", y, l.scale().weights(), l.scale().biases());
    }
}
