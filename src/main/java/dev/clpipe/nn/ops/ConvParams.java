package dev.clpipe.nn.ops;

/**
 * Tuning parameters of the register-blocked convolution kernels (conv_rb.cl):
 * {@code pixels} output pixels per work-item along a row, {@code maxVectors} float16 channel
 * vectors per pixel (fewer when a group has fewer channels), {@code weightRows} input channels
 * per work-item in the backward-weights reduction.
 */
public record ConvParams(int pixels, int maxVectors, int weightRows) {
    public static final ConvParams CPU_DEFAULT = new ConvParams(6, 4, 5);

    public ConvParams {
        if (pixels < 1 || pixels > 16) throw new IllegalArgumentException("pixels per work-item must be within [1, 16], got " + pixels);
        if (maxVectors < 1 || maxVectors > 4) throw new IllegalArgumentException("vectors must be within [1, 4], got " + maxVectors);
        if (weightRows < 1 || weightRows > 16) throw new IllegalArgumentException("weight rows must be within [1, 16], got " + weightRows);
    }

    /** Channel vectors for a group of {@code channels} channels: no more than needed. */
    int vectorsFor(int channels) {
        return Math.min(maxVectors, (channels + 15) / 16);
    }

    /**
     * Pixels per work-item for a narrower channel block: keeps the accumulator count
     * (pixels * maxVectors) but no more than 8 pixels, since each pixel holds a pointer register.
     */
    int pixelsFor(int vectors) {
        return Math.max(pixels, Math.min(8, pixels * maxVectors / vectors));
    }

    @Override
    public String toString() {
        return "PX=" + pixels + ",NV=" + maxVectors + ",RB=" + weightRows;
    }
}
