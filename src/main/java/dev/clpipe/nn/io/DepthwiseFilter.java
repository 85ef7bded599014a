package dev.clpipe.nn.io;

/**
 * A depthwise filter (channel multiplier 1) as TensorFlow stores it: {@code [kh, kw, channels, 1]},
 * element (y, x, c) at {@code (y * kw + x) * channels + c}. Channel c of the output is channel c
 * of the input convolved with its own kh×kw kernel. {@link #toOihw()} gives {@code [channels, 1, kh, kw]}
 * (grouped-conv OIHW with groups = channels).
 */
public record DepthwiseFilter(String name, int kh, int kw, int channels, float[] hwc) {
    public DepthwiseFilter {
        if (kh <= 0 || kw <= 0 || channels <= 0) {
            throw new IllegalArgumentException("depthwise filter '" + name + "': sizes must be > 0");
        }
        if (hwc.length != (long) kh * kw * channels) {
            throw new IllegalArgumentException("depthwise filter '" + name + "': " + hwc.length + " values for [" + kh + "," + kw + "," + channels + ",1]");
        }
    }

    public float at(int y, int x, int c) {
        return hwc[(y * kw + x) * channels + c];
    }

    /** A new array in {@code [channels, 1, kh, kw]} order: element (c, y, x) at {@code (c * kh + y) * kw + x}. */
    public float[] toOihw() {
        float[] out = new float[hwc.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int c = 0; c < channels; c++) {
                    out[(c * kh + y) * kw + x] = hwc[(y * kw + x) * channels + c];
                }
            }
        }
        return out;
    }

    public int[] shape() {
        return new int[] {kh, kw, channels, 1};
    }
}
