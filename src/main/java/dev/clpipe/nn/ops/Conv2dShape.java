package dev.clpipe.nn.ops;

/**
 * One 2-D convolution problem. Layout: input NHWC {@code [batch][inHeight][inWidth][inChannels]},
 * output NHWC {@code [batch][outHeight][outWidth][outChannels]}, weights HWIO
 * {@code [kernelHeight][kernelWidth][inChannels/groups][outChannels]} (group g owns output channels
 * {@code [g*outChannels/groups, (g+1)*outChannels/groups)}), bias {@code [outChannels]}.
 * Output size per axis: floor((n + padBefore + padAfter - dilation*(kernel-1) - 1) / stride) + 1.
 */
public record Conv2dShape(int batch, int inChannels, int inHeight, int inWidth, int outChannels,
        int kernelHeight, int kernelWidth, int strideH, int strideW,
        int padTop, int padBottom, int padLeft, int padRight, int dilationH, int dilationW, int groups) {

    public Conv2dShape {
        positive("batch", batch);
        positive("inChannels", inChannels);
        positive("inHeight", inHeight);
        positive("inWidth", inWidth);
        positive("outChannels", outChannels);
        positive("kernelHeight", kernelHeight);
        positive("kernelWidth", kernelWidth);
        positive("strideH", strideH);
        positive("strideW", strideW);
        positive("dilationH", dilationH);
        positive("dilationW", dilationW);
        positive("groups", groups);
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) throw new IllegalArgumentException("padding must be >= 0");
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("groups=" + groups + " must divide inChannels=" + inChannels + " and outChannels=" + outChannels);
        }
        if (outSize(inHeight, kernelHeight, strideH, padTop + padBottom, dilationH) < 1
                || outSize(inWidth, kernelWidth, strideW, padLeft + padRight, dilationW) < 1) {
            throw new IllegalArgumentException("kernel " + kernelHeight + "x" + kernelWidth + " (dilation " + dilationH + "x" + dilationW
                    + ") does not fit the padded " + inHeight + "x" + inWidth + " input");
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }

    private static int outSize(int n, int f, int s, int pads, int d) {
        return Math.floorDiv(n + pads - d * (f - 1) - 1, s) + 1;
    }

    /** Starts a shape: input {@code batch x height x width x channels}, stride 1, no padding, no dilation, 1 group. */
    public static Builder input(int batch, int height, int width, int channels) {
        return new Builder(batch, height, width, channels);
    }

    public int outHeight() {
        return outSize(inHeight, kernelHeight, strideH, padTop + padBottom, dilationH);
    }

    public int outWidth() {
        return outSize(inWidth, kernelWidth, strideW, padLeft + padRight, dilationW);
    }

    public int inChannelsPerGroup() {
        return inChannels / groups;
    }

    public int outChannelsPerGroup() {
        return outChannels / groups;
    }

    /** One input and one output channel per group (depthwise with multiplier 1). */
    public boolean depthwise() {
        return groups == inChannels && groups == outChannels;
    }

    public long inputFloats() {
        return (long) batch * inHeight * inWidth * inChannels;
    }

    public long outputFloats() {
        return (long) batch * outHeight() * outWidth() * outChannels;
    }

    public long weightFloats() {
        return (long) kernelHeight * kernelWidth * inChannelsPerGroup() * outChannels;
    }

    /** Multiply-adds x 2 of the forward pass (each backward pass does the same count). */
    public double flops() {
        return 2.0 * outputFloats() * kernelHeight * kernelWidth * inChannelsPerGroup();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(batch).append('x').append(inHeight).append('x').append(inWidth).append('x').append(inChannels)
                .append(" k").append(kernelHeight).append('x').append(kernelWidth).append(" ->").append(outChannels);
        if (strideH != 1 || strideW != 1) s.append(" s").append(strideH).append('x').append(strideW);
        if (padTop + padBottom + padLeft + padRight > 0) s.append(" p").append(padTop).append(',').append(padBottom).append(',').append(padLeft).append(',').append(padRight);
        if (dilationH != 1 || dilationW != 1) s.append(" d").append(dilationH).append('x').append(dilationW);
        if (groups != 1) s.append(" g").append(groups);
        return s.toString();
    }

    /** Fluent construction with {@code valid()}/{@code same()} padding helpers. */
    public static final class Builder {
        private final int batch, height, width, channels;
        private int outChannels = -1, kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1, groups = 1;
        private int pt, pb, pl, pr;
        private boolean same;

        private Builder(int batch, int height, int width, int channels) {
            this.batch = batch;
            this.height = height;
            this.width = width;
            this.channels = channels;
        }

        public Builder output(int channels) {
            this.outChannels = channels;
            return this;
        }

        public Builder kernel(int size) {
            return kernel(size, size);
        }

        public Builder kernel(int height, int width) {
            this.kh = height;
            this.kw = width;
            return this;
        }

        public Builder stride(int stride) {
            return stride(stride, stride);
        }

        public Builder stride(int strideH, int strideW) {
            this.sh = strideH;
            this.sw = strideW;
            return this;
        }

        public Builder dilation(int dilation) {
            this.dh = dilation;
            this.dw = dilation;
            return this;
        }

        public Builder dilation(int dilationH, int dilationW) {
            this.dh = dilationH;
            this.dw = dilationW;
            return this;
        }

        public Builder groups(int groups) {
            this.groups = groups;
            return this;
        }

        /** Same padding on every side. */
        public Builder padding(int pad) {
            return padding(pad, pad, pad, pad);
        }

        public Builder padding(int top, int bottom, int left, int right) {
            this.pt = top;
            this.pb = bottom;
            this.pl = left;
            this.pr = right;
            this.same = false;
            return this;
        }

        /** No padding. */
        public Builder valid() {
            return padding(0);
        }

        /** Output size ceil(n / stride); odd total padding puts the extra row/column at the bottom/right (TensorFlow's rule). */
        public Builder same() {
            this.same = true;
            return this;
        }

        public Conv2dShape build() {
            int oc = outChannels < 0 ? channels : outChannels;
            if (same) {
                int th = samePad(height, kh, sh, dh), tw = samePad(width, kw, sw, dw);
                pt = th / 2;
                pb = th - pt;
                pl = tw / 2;
                pr = tw - pl;
            }
            return new Conv2dShape(batch, channels, height, width, oc, kh, kw, sh, sw, pt, pb, pl, pr, dh, dw, groups);
        }

        private static int samePad(int n, int f, int s, int d) {
            int out = (n + s - 1) / s;
            return Math.max(0, (out - 1) * s + d * (f - 1) + 1 - n);
        }
    }
}
