package dev.clpipe.nn.io;

import java.util.List;

/**
 * The layers of the plain-Java face-api reference nets (docs/face-models.md §2): convolutions,
 * pools, activations, dense, bilinear resize, on one NHWC image at a time, accumulating in
 * double. Slow on purpose; not the production path.
 */
final class ReferenceLayers {
    private ReferenceLayers() {}

    /** One NHWC image without the batch axis: value (y, x, c) at {@code (y * w + x) * c + ch}. */
    record Act(int h, int w, int c, float[] v) {
        Act(int h, int w, int c) {
            this(h, w, c, new float[h * w * c]);
        }

        float at(int y, int x, int ch) {
            return v[(y * w + x) * c + ch];
        }
    }

    /** Output size and padding before, TensorFlow rules (docs §2). */
    static int[] same(int n, int k, int s) {
        int out = (n + s - 1) / s;
        int pad = Math.max(0, (out - 1) * s + k - n);
        return new int[] {out, pad / 2};
    }

    static int[] valid(int n, int k, int s) {
        return new int[] {(n - k + 1 + s - 1) / s, 0};
    }

    static int[] pad(boolean same, int n, int k, int s) {
        return same ? same(n, k, s) : valid(n, k, s);
    }

    static Act conv(Act x, ConvFilter f, float[] bias, int s, boolean same) {
        int[] ph = pad(same, x.h(), f.kh(), s), pw = pad(same, x.w(), f.kw(), s);
        Act y = new Act(ph[0], pw[0], f.out());
        double[] acc = new double[f.out()];
        float[] k = f.hwio();
        for (int oy = 0; oy < y.h(); oy++) {
            for (int ox = 0; ox < y.w(); ox++) {
                for (int o = 0; o < acc.length; o++) acc[o] = bias == null ? 0 : bias[o];
                for (int ky = 0; ky < f.kh(); ky++) {
                    int iy = oy * s - ph[1] + ky;
                    if (iy < 0 || iy >= x.h()) continue;
                    for (int kx = 0; kx < f.kw(); kx++) {
                        int ix = ox * s - pw[1] + kx;
                        if (ix < 0 || ix >= x.w()) continue;
                        int xBase = (iy * x.w() + ix) * x.c();
                        int kBase = (ky * f.kw() + kx) * f.in() * f.out();
                        for (int i = 0; i < f.in(); i++) {
                            double xv = x.v()[xBase + i];
                            int kRow = kBase + i * f.out();
                            for (int o = 0; o < acc.length; o++) acc[o] += xv * k[kRow + o];
                        }
                    }
                }
                int yBase = (oy * y.w() + ox) * y.c();
                for (int o = 0; o < acc.length; o++) y.v()[yBase + o] = (float) acc[o];
            }
        }
        return y;
    }

    static Act depthwise(Act x, DepthwiseFilter f, int s, boolean same) {
        int[] ph = pad(same, x.h(), f.kh(), s), pw = pad(same, x.w(), f.kw(), s);
        Act y = new Act(ph[0], pw[0], x.c());
        for (int oy = 0; oy < y.h(); oy++) {
            for (int ox = 0; ox < y.w(); ox++) {
                for (int c = 0; c < x.c(); c++) {
                    double acc = 0;
                    for (int ky = 0; ky < f.kh(); ky++) {
                        int iy = oy * s - ph[1] + ky;
                        if (iy < 0 || iy >= x.h()) continue;
                        for (int kx = 0; kx < f.kw(); kx++) {
                            int ix = ox * s - pw[1] + kx;
                            if (ix >= 0 && ix < x.w()) acc += (double) x.at(iy, ix, c) * f.at(ky, kx, c);
                        }
                    }
                    y.v()[(oy * y.w() + ox) * y.c() + c] = (float) acc;
                }
            }
        }
        return y;
    }

    static Act separable(Act x, SeparableConvWeights w, int s, boolean same) {
        return conv(depthwise(x, w.depthwise(), s, same), w.pointwise(), w.bias(), 1, true);
    }

    static Act maxPool(Act x, int k, int s, boolean same) {
        int[] ph = pad(same, x.h(), k, s), pw = pad(same, x.w(), k, s);
        Act y = new Act(ph[0], pw[0], x.c());
        for (int oy = 0; oy < y.h(); oy++)
            for (int ox = 0; ox < y.w(); ox++)
                for (int c = 0; c < x.c(); c++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++) {
                            int iy = oy * s - ph[1] + ky, ix = ox * s - pw[1] + kx;
                            if (iy >= 0 && iy < x.h() && ix >= 0 && ix < x.w()) m = Math.max(m, x.at(iy, ix, c));
                        }
                    y.v()[(oy * y.w() + ox) * y.c() + c] = m;
                }
        return y;
    }

    static Act avgPoolValid(Act x, int k, int s) {
        Act y = new Act(valid(x.h(), k, s)[0], valid(x.w(), k, s)[0], x.c());
        for (int oy = 0; oy < y.h(); oy++)
            for (int ox = 0; ox < y.w(); ox++)
                for (int c = 0; c < x.c(); c++) {
                    double acc = 0;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++) acc += x.at(oy * s + ky, ox * s + kx, c);
                    y.v()[(oy * y.w() + ox) * y.c() + c] = (float) (acc / (k * k));
                }
        return y;
    }

    static Act map(Act x, java.util.function.DoubleUnaryOperator f) {
        Act y = new Act(x.h(), x.w(), x.c());
        for (int i = 0; i < x.v().length; i++) y.v()[i] = (float) f.applyAsDouble(x.v()[i]);
        return y;
    }

    static Act add(Act... xs) {
        Act y = new Act(xs[0].h(), xs[0].w(), xs[0].c());
        for (Act x : xs) for (int i = 0; i < y.v().length; i++) y.v()[i] += x.v()[i];
        return y;
    }

    static Act relu(Act x) {
        return map(x, v -> Math.max(0, v));
    }

    static Act relu6(Act x) {
        return map(x, v -> Math.min(6, Math.max(0, v)));
    }

    static Act leaky(Act x) {
        return map(x, v -> v >= 0 ? v : TinyFaceDetectorWeights.LEAKY_SLOPE * v);
    }

    /** (x - mean) / 255 per channel (docs §3.2, §4.2, §5.2). */
    static Act normalize(Act img, float[] mean) {
        Act y = new Act(img.h(), img.w(), 3);
        for (int i = 0; i < y.v().length; i++) y.v()[i] = (img.v()[i] - mean[i % 3]) / 255f;
        return y;
    }

    static float[] dense(float[] x, DenseWeights d) {
        float[] y = new float[d.out()];
        for (int o = 0; o < d.out(); o++) {
            double acc = d.hasBias() ? d.bias()[o] : 0;
            for (int i = 0; i < d.in(); i++) acc += (double) x[i] * d.weights()[i * d.out() + o];
            y[o] = (float) acc;
        }
        return y;
    }

    /** tf.image.resizeBilinear(alignCorners=false, halfPixelCenters=false): src = dst * in / out. */
    static Act resizeBilinear(Act x, int outH, int outW) {
        if (x.h() == outH && x.w() == outW) return x;
        Act y = new Act(outH, outW, x.c());
        double ry = (double) x.h() / outH, rx = (double) x.w() / outW;
        for (int r = 0; r < outH; r++) {
            double fy = r * ry;
            int y0 = (int) Math.floor(fy), y1 = Math.min(x.h() - 1, (int) Math.ceil(fy));
            double dy = fy - y0;
            for (int col = 0; col < outW; col++) {
                double fx = col * rx;
                int x0 = (int) Math.floor(fx), x1 = Math.min(x.w() - 1, (int) Math.ceil(fx));
                double dx = fx - x0;
                for (int c = 0; c < x.c(); c++) {
                    double top = x.at(y0, x0, c) + (x.at(y0, x1, c) - x.at(y0, x0, c)) * dx;
                    double bottom = x.at(y1, x0, c) + (x.at(y1, x1, c) - x.at(y1, x0, c)) * dx;
                    y.v()[(r * outW + col) * x.c() + c] = (float) (top + (bottom - top) * dy);
                }
            }
        }
        return y;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static List<Integer> shapeOf(Act a) {
        return List.of(1, a.h(), a.w(), a.c());
    }
}
