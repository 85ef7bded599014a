package dev.clpipe.nn.io;

/**
 * A convolution (filter HWIO {@code [kh, kw, in, out]}) plus a per-output-channel bias
 * {@code [out]}: out = conv(x, filter) + bias. Stride, padding and activation are the network's
 * business (see docs/face-models.md).
 */
public record ConvWeights(String name, ConvFilter filter, float[] bias) implements LayerWeights {
    public ConvWeights {
        if (bias.length != filter.out()) {
            throw new IllegalArgumentException("conv '" + name + "': bias has " + bias.length + " values, filter has " + filter.out() + " outputs");
        }
    }

    @Override
    public int inChannels() {
        return filter.in();
    }

    @Override
    public int outChannels() {
        return filter.out();
    }
}
