package dev.clpipe.nn.ops;

/**
 * Plain-Java twin of the convolution kernels (layouts as in {@link Conv2dShape}): one loop nest
 * over every (output pixel, output channel, tap, input channel) product, accumulated in double.
 * The double versions serve finite-difference gradient checks; the float versions compare kernels.
 */
public final class Conv2dReference {
    private Conv2dReference() {}

    /** Called once per product x[xi] * w[wi] contributing to y[yi]. */
    private interface Visit {
        void at(int xi, int wi, int yi);
    }

    private static void forEachProduct(Conv2dShape s, Visit visit) {
        int oh = s.outHeight(), ow = s.outWidth(), icg = s.inChannelsPerGroup(), ocg = s.outChannelsPerGroup();
        for (int n = 0; n < s.batch(); n++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int yBase = ((n * oh + oy) * ow + ox) * s.outChannels();
                    for (int ky = 0; ky < s.kernelHeight(); ky++) {
                        int iy = oy * s.strideH() - s.padTop() + ky * s.dilationH();
                        if (iy < 0 || iy >= s.inHeight()) continue;
                        for (int kx = 0; kx < s.kernelWidth(); kx++) {
                            int ix = ox * s.strideW() - s.padLeft() + kx * s.dilationW();
                            if (ix < 0 || ix >= s.inWidth()) continue;
                            int xBase = ((n * s.inHeight() + iy) * s.inWidth() + ix) * s.inChannels();
                            int wBase = (ky * s.kernelWidth() + kx) * icg * s.outChannels();
                            for (int oc = 0; oc < s.outChannels(); oc++) {
                                int g = oc / ocg;
                                for (int ic = 0; ic < icg; ic++) {
                                    visit.at(xBase + g * icg + ic, wBase + ic * s.outChannels() + oc, yBase + oc);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    public static double[] forward(Conv2dShape s, double[] x, double[] w, double[] bias) {
        double[] y = new double[Math.toIntExact(s.outputFloats())];
        forEachProduct(s, (xi, wi, yi) -> y[yi] += x[xi] * w[wi]);
        if (bias != null) {
            for (int i = 0; i < y.length; i++) y[i] += bias[i % s.outChannels()];
        }
        return y;
    }

    /** dL/dx given dL/dy. */
    public static double[] backwardData(Conv2dShape s, double[] dy, double[] w) {
        double[] dx = new double[Math.toIntExact(s.inputFloats())];
        forEachProduct(s, (xi, wi, yi) -> dx[xi] += dy[yi] * w[wi]);
        return dx;
    }

    /** dL/dw given dL/dy. */
    public static double[] backwardWeights(Conv2dShape s, double[] x, double[] dy) {
        double[] dw = new double[Math.toIntExact(s.weightFloats())];
        forEachProduct(s, (xi, wi, yi) -> dw[wi] += x[xi] * dy[yi]);
        return dw;
    }

    /** dL/dbias given dL/dy: the sum over every pixel of each channel. */
    public static double[] backwardBias(Conv2dShape s, double[] dy) {
        double[] db = new double[s.outChannels()];
        for (int i = 0; i < dy.length; i++) db[i % s.outChannels()] += dy[i];
        return db;
    }

    public static float[] forward(Conv2dShape s, float[] x, float[] w, float[] bias) {
        return toFloat(forward(s, toDouble(x), toDouble(w), bias == null ? null : toDouble(bias)));
    }

    public static float[] backwardData(Conv2dShape s, float[] dy, float[] w) {
        return toFloat(backwardData(s, toDouble(dy), toDouble(w)));
    }

    public static float[] backwardWeights(Conv2dShape s, float[] x, float[] dy) {
        return toFloat(backwardWeights(s, toDouble(x), toDouble(dy)));
    }

    public static float[] backwardBias(Conv2dShape s, float[] dy) {
        return toFloat(backwardBias(s, toDouble(dy)));
    }

    static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i];
        return out;
    }

    static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
        return out;
    }
}
