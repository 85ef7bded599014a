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
                        double wy = weight(mode, oy, iy, h, Upsample.scale(h, oh));
                        if (wy == 0) continue;
                        for (int ix = 0; ix < w; ix++) {
                            double wx = weight(mode, ox, ix, w, Upsample.scale(w, ow));
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
                    double wy = weight(mode, oy, iy, h, Upsample.scale(h, oh));
                    if (wy == 0) continue;
                    for (int ox = 0; ox < ow; ox++) {
                        for (int ix = 0; ix < w; ix++) {
                            double wx = weight(mode, ox, ix, w, Upsample.scale(w, ow));
                            if (wx != 0) dx[(p * h + iy) * w + ix] += wy * wx * dy[(p * oh + oy) * ow + ox];
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** NHWC forward (the inference form): {@code stepH}/{@code stepW} source pixels per output pixel. */
    public static float[] forwardNhwc(Upsample.Mode mode, float[] x, int n, int h, int w, int c, int oh, int ow, float stepH, float stepW) {
        double[] y = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int iy = 0; iy < h; iy++) {
                    double wy = weight(mode, oy, iy, h, stepH);
                    if (wy == 0) continue;
                    for (int ox = 0; ox < ow; ox++) {
                        for (int ix = 0; ix < w; ix++) {
                            double wx = weight(mode, ox, ix, w, stepW);
                            if (wx == 0) continue;
                            int from = ((b * h + iy) * w + ix) * c, to = ((b * oh + oy) * ow + ox) * c;
                            for (int ch = 0; ch < c; ch++) y[to + ch] += wy * wx * x[from + ch];
                        }
                    }
                }
            }
        }
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) out[i] = (float) y[i];
        return out;
    }

    /** Weight with which output coordinate d reads input coordinate c along one axis ({@code scale}: source step). */
    static double weight(Upsample.Mode mode, int d, int c, int in, float scale) {
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
