package dev.clpipe.nn.graph;

import dev.clpipe.nn.io.TinyFaceDetectorWeights;

/**
 * face-api's tiny face detector (docs/face-models.md §3.2–3.3, {@code TinyYolov2Base.runMobilenet}),
 * its layout written once for its two uses: the detector ({@link #build}) and the backbone as a
 * feature network for style transfer ({@link #features}). Nodes: {@code conv0}, {@code poolI},
 * {@code convI/leaky}, {@code convI/depthwise}, {@code convI/pointwise}, then {@code pool5},
 * {@code conv5/leaky}, {@code conv8} in the detector.
 */
public final class TinyFaceDetectorGraph {
    private TinyFaceDetectorGraph() {}

    /**
     * The detector: input {@code size x size x 3} RGB 0..255, output the raw conv8 map
     * {@code G x G x 25} with {@code G = size / 32} (5 anchors x [tx, ty, tw, th, to]).
     * {@code inputSize} must be a positive multiple of 32 (face-api's TinyYolov2Options rule).
     */
    public static Graph build(TinyFaceDetectorWeights w, int inputSize) {
        requireInputSize(inputSize);
        GraphBuilder g = Graph.builder();
        return g.build(layout(g, g.input(inputSize, inputSize, 3), w, false));
    }

    /**
     * The backbone up to {@code conv5/leaky} for an {@code height x width} input already normalised
     * as face-api does, {@code (x - meanRgb) / 255}. Unlike the detector, conv0 pads by 1 ('same'),
     * so every pool sees an even size for sides that are multiples of 32, and each leaky relu runs
     * before its pool, so the full-resolution activations are nodes (the same values: leaky relu
     * is increasing, so it commutes with max pooling).
     */
    public static Graph features(TinyFaceDetectorWeights w, int height, int width) {
        GraphBuilder g = Graph.builder();
        return g.build(layout(g, g.input(height, width, 3), w, true));
    }

    private static Value layout(GraphBuilder g, Value x, TinyFaceDetectorWeights w, boolean features) {
        // face-api normalises (x - meanRgb) / 255 before conv0; the detector's conv0 is 'valid', so the
        // normalisation folds exactly into its weights and bias, saving a pass over the input.
        x = features ? g.conv("conv0", x, w.conv0(), 1, Padding.SAME)
                : g.conv("conv0", x, w.conv0().withInputNormalizationFolded(TinyFaceDetectorWeights.meanRgb(), 1 / 255f), 1, Padding.VALID);
        for (int i = 0; i < w.separable().size(); i++) {
            // face-api: leaky(conv) then max pool. The detector pools first: the same values, and the
            // activation runs on a quarter of the pixels.
            x = features ? g.maxPool("pool" + i, leaky(g, "conv" + i, x), 2, 2, Padding.SAME)
                    : leaky(g, "conv" + i, g.maxPool("pool" + i, x, 2, 2, Padding.SAME));
            // depthwiseSeparableConv pads 1 on every side then convolves 'valid': 'same' for 3x3 stride 1
            x = g.separable("conv" + (i + 1), x, w.separable().get(i), 1, Padding.explicit(1));
        }
        if (features) return leaky(g, "conv" + w.separable().size(), x);
        x = leaky(g, "conv5", g.maxPool("pool5", x, 2, 1, Padding.SAME));
        return g.conv("conv8", x, w.conv8(), 1, Padding.VALID);
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
