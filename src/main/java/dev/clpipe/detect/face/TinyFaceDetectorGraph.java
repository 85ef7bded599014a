package dev.clpipe.detect.face;

import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.GraphBuilder;
import dev.clpipe.nn.graph.Padding;
import dev.clpipe.nn.graph.Value;
import dev.clpipe.nn.io.TinyFaceDetectorWeights;

/**
 * face-api's tiny face detector as an inference graph (docs/face-models.md §3.2–3.3,
 * {@code TinyYolov2Base.runMobilenet}): input {@code size x size x 3} RGB 0..255, output the raw
 * conv8 map {@code G x G x 25} with {@code G = size / 32} (5 anchors x [tx, ty, tw, th, to]).
 */
public final class TinyFaceDetectorGraph {
    private TinyFaceDetectorGraph() {}

    /** {@code inputSize} must be a positive multiple of 32 (face-api's TinyYolov2Options rule). */
    public static Graph build(TinyFaceDetectorWeights w, int inputSize) {
        requireInputSize(inputSize);
        GraphBuilder g = Graph.builder();
        Value x = g.input(inputSize, inputSize, 3);
        x = g.normalize("normalize", x, TinyFaceDetectorWeights.meanRgb(), 1 / 255f);
        // face-api: leaky(conv) then max pool. Leaky is increasing, so pooling first gives the same
        // values and runs the activation on a quarter of the pixels.
        x = g.conv("conv0", x, w.conv0(), 1, Padding.VALID);
        for (int i = 0; i < w.separable().size(); i++) {
            x = leaky(g, "conv" + i, g.maxPool("pool" + i, x, 2, 2, Padding.SAME));
            // depthwiseSeparableConv pads 1 on every side then convolves 'valid': 'same' for 3x3 stride 1
            x = g.separable("conv" + (i + 1), x, w.separable().get(i), 1, Padding.explicit(1));
        }
        x = leaky(g, "conv5", g.maxPool("pool5", x, 2, 1, Padding.SAME));
        x = g.conv("conv8", x, w.conv8(), 1, Padding.VALID);
        return g.build(x);
    }

    private static Value leaky(GraphBuilder g, String layer, Value x) {
        return g.leakyRelu(layer + "/leaky", x, TinyFaceDetectorWeights.LEAKY_SLOPE);
    }

    public static void requireInputSize(int inputSize) {
        if (inputSize < 32 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("tiny face detector input size must be a positive multiple of 32 (e.g. 224, 416, 608), got " + inputSize);
        }
    }
}
