package dev.clpipe.nn.io;

/**
 * A depthwise-separable convolution: depthwise {@code [3, 3, C, 1]}, then pointwise
 * {@code [1, 1, C, K]}, then bias {@code [K]} (TensorFlow's {@code separableConv2d} + add; no
 * bias or activation between the two convolutions).
 */
public record SeparableConvWeights(String name, DepthwiseFilter depthwise, ConvFilter pointwise, float[] bias)
        implements LayerWeights {
    public SeparableConvWeights {
        if (pointwise.kh() != 1 || pointwise.kw() != 1) {
            throw new IllegalArgumentException("separable conv '" + name + "': pointwise filter must be 1x1, got "
                    + pointwise.kh() + "x" + pointwise.kw());
        }
        if (pointwise.in() != depthwise.channels()) {
            throw new IllegalArgumentException("separable conv '" + name + "': depthwise has " + depthwise.channels()
                    + " channels, pointwise takes " + pointwise.in());
        }
        if (bias.length != pointwise.out()) {
            throw new IllegalArgumentException("separable conv '" + name + "': bias has " + bias.length + " values, expected " + pointwise.out());
        }
    }

    @Override
    public int inChannels() {
        return depthwise.channels();
    }

    @Override
    public int outChannels() {
        return pointwise.out();
    }
}
