package dev.clpipe.nn.ops;

/**
 * Plain-Java twin of {@code resize.cl}. Source coordinates are computed in float exactly as the
 * kernel does (so both pick the same pixels); interpolation sums run in double. Arrays are NCHW.
 */
public final class UpsampleReference {
    private UpsampleReference() {}

    public static double[] forward(Upsample.Mode mode, double[] x, int planes, int h, int w, int oh, int ow) {
        double[] y = new double[planes * oh * ow];
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double v = 0;
                    for (int iy = 0; iy < h; iy++) {
                        double wy = weight(mode, oy, iy, h, oh);
                        if (wy == 0) continue;
                        for (int ix = 0; ix < w; ix++) {
                            double wx = weight(mode, ox, ix, w, ow);
                            if (wx != 0) v += wy * wx * x[(p * h + iy) * w + ix];
                        }
                    }
                    y[(p * oh + oy) * ow + ox] = v;
                }
            }
        }
        return y;
    }

    /** The transpose of {@link #forward} (the op is linear in x). */
    public static double[] backward(Upsample.Mode mode, double[] dy, int planes, int h, int w, int oh, int ow) {
        double[] dx = new double[planes * h * w];
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int iy = 0; iy < h; iy++) {
                    double wy = weight(mode, oy, iy, h, oh);
                    if (wy == 0) continue;
                    for (int ox = 0; ox < ow; ox++) {
                        for (int ix = 0; ix < w; ix++) {
                            double wx = weight(mode, ox, ix, w, ow);
                            if (wx != 0) dx[(p * h + iy) * w + ix] += wy * wx * dy[(p * oh + oy) * ow + ox];
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** Weight with which output coordinate d reads input coordinate c along one axis. */
    static double weight(Upsample.Mode mode, int d, int c, int in, int out) {
        float scale = Upsample.scale(in, out);
        if (mode == Upsample.Mode.NEAREST) {
            return Math.min((int) Math.floor((float) d * scale), in - 1) == c ? 1 : 0;
        }
        float s = Math.max(((float) d + 0.5f) * scale - 0.5f, 0f);
        int i0 = (int) s;
        int i1 = Math.min(i0 + 1, in - 1);
        double l = s - i0;
        return (i0 == c ? 1 - l : 0) + (i1 == c ? l : 0);
    }
}
