package dev.clpipe.nn.io;

/**
 * A 2-D convolution filter as TensorFlow stores it: HWIO, i.e. {@code hwio} is row-major over
 * {@code [kh, kw, in, out]} — element (y, x, i, o) at {@code ((y * kw + x) * in + i) * out + o}.
 * {@link #toOihw()} gives the {@code [out, in, kh, kw]} order our conv kernels use.
 */
public record ConvFilter(String name, int kh, int kw, int in, int out, float[] hwio) {
    public ConvFilter {
        if (kh <= 0 || kw <= 0 || in <= 0 || out <= 0) {
            throw new IllegalArgumentException("filter '" + name + "': sizes must be > 0, got [" + kh + "," + kw + "," + in + "," + out + "]");
        }
        if (hwio.length != (long) kh * kw * in * out) {
            throw new IllegalArgumentException("filter '" + name + "': " + hwio.length + " values for [" + kh + "," + kw + "," + in + "," + out + "]");
        }
    }

    /** The HWIO value at (y, x, i, o). */
    public float at(int y, int x, int i, int o) {
        return hwio[((y * kw + x) * in + i) * out + o];
    }

    /** A new array in OIHW order {@code [out, in, kh, kw]}: element (o, i, y, x) at {@code ((o * in + i) * kh + y) * kw + x}. */
    public float[] toOihw() {
        return hwioToOihw(hwio, kh, kw, in, out);
    }

    public int[] shape() {
        return new int[] {kh, kw, in, out};
    }

    public static float[] hwioToOihw(float[] hwio, int kh, int kw, int in, int out) {
        if (hwio.length != (long) kh * kw * in * out) {
            throw new IllegalArgumentException(hwio.length + " values do not fill HWIO [" + kh + "," + kw + "," + in + "," + out + "]");
        }
        float[] oihw = new float[hwio.length];
        int src = 0;
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        oihw[((o * in + i) * kh + y) * kw + x] = hwio[src++];
                    }
                }
            }
        }
        return oihw;
    }
}
