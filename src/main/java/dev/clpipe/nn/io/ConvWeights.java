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

    /**
     * The same convolution for un-normalised input: conv((x - sub[c]) * mul, w) + b =
     * conv(x, w * mul) + (b - sum w * sub[c] * mul). Exact only without padding ('valid'), where no
     * padded zero would have to stand for a normalised value. Lets a net skip its input
     * normalisation pass.
     */
    public ConvWeights withInputNormalizationFolded(float[] sub, float mul) {
        int kh = filter.kh(), kw = filter.kw(), in = filter.in(), out = filter.out();
        if (sub.length != in) throw new IllegalArgumentException("conv '" + name + "': " + sub.length + " means for " + in + " input channels");
        float[] hwio = filter.hwio(), folded = new float[hwio.length];
        double[] shift = new double[out];
        for (int tap = 0; tap < kh * kw; tap++) {
            for (int c = 0; c < in; c++) {
                for (int o = 0; o < out; o++) {
                    int i = (tap * in + c) * out + o;
                    folded[i] = hwio[i] * mul;
                    shift[o] += (double) hwio[i] * sub[c] * mul;
                }
            }
        }
        float[] b = new float[out];
        for (int o = 0; o < out; o++) b[o] = (float) (bias[o] - shift[o]);
        return new ConvWeights(name, new ConvFilter(filter.name(), kh, kw, in, out, folded), b);
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
