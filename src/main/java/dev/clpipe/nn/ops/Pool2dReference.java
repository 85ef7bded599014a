package dev.clpipe.nn.ops;

/**
 * Plain-Java twin of {@code pool.cl} in double precision: the definition the kernels are tested
 * against, and what finite-difference gradient checks differentiate. Arrays are NCHW.
 */
public final class Pool2dReference {
    private Pool2dReference() {}

    /** Max pooling; {@code argmax} (may be null) receives the winner's index iy * W + ix per output. */
    public static double[] maxForward(double[] x, int n, int c, int h, int w, PoolWindow p, int[] argmax) {
        int oh = p.outH(h), ow = p.outW(w);
        double[] y = new double[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int arg = -1;
                    for (int iy = oy * p.strideH() - p.padTop(), ky = 0; ky < p.kernelH(); ky++, iy++) {
                        if (iy < 0 || iy >= h) continue;
                        for (int ix = ox * p.strideW() - p.padLeft(), kx = 0; kx < p.kernelW(); kx++, ix++) {
                            if (ix < 0 || ix >= w) continue;
                            double v = x[plane * h * w + iy * w + ix];
                            if (arg < 0 || v > best) { best = v; arg = iy * w + ix; }
                        }
                    }
                    int o = (plane * oh + oy) * ow + ox;
                    y[o] = best;
                    if (argmax != null) argmax[o] = arg;
                }
            }
        }
        return y;
    }

    public static double[] maxBackward(double[] dy, int[] argmax, int n, int c, int h, int w, PoolWindow p) {
        int oh = p.outH(h), ow = p.outW(w);
        double[] dx = new double[n * c * h * w];
        for (int plane = 0; plane < n * c; plane++) {
            for (int k = 0; k < oh * ow; k++) {
                int o = plane * oh * ow + k;
                dx[plane * h * w + argmax[o]] += dy[o];
            }
        }
        return dx;
    }

    public static double[] avgForward(double[] x, int n, int c, int h, int w, PoolWindow p, boolean countPad) {
        int oh = p.outH(h), ow = p.outW(w);
        double[] y = new double[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int y0 = oy * p.strideH() - p.padTop(), x0 = ox * p.strideW() - p.padLeft();
                    double sum = 0;
                    for (int iy = Math.max(y0, 0); iy < Math.min(y0 + p.kernelH(), h); iy++) {
                        for (int ix = Math.max(x0, 0); ix < Math.min(x0 + p.kernelW(), w); ix++) sum += x[plane * h * w + iy * w + ix];
                    }
                    y[(plane * oh + oy) * ow + ox] = sum / divisor(oy, ox, h, w, p, countPad);
                }
            }
        }
        return y;
    }

    public static double[] avgBackward(double[] dy, int n, int c, int h, int w, PoolWindow p, boolean countPad) {
        int oh = p.outH(h), ow = p.outW(w);
        double[] dx = new double[n * c * h * w];
        for (int plane = 0; plane < n * c; plane++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int y0 = oy * p.strideH() - p.padTop(), x0 = ox * p.strideW() - p.padLeft();
                    double g = dy[(plane * oh + oy) * ow + ox] / divisor(oy, ox, h, w, p, countPad);
                    for (int iy = Math.max(y0, 0); iy < Math.min(y0 + p.kernelH(), h); iy++) {
                        for (int ix = Math.max(x0, 0); ix < Math.min(x0 + p.kernelW(), w); ix++) dx[plane * h * w + iy * w + ix] += g;
                    }
                }
            }
        }
        return dx;
    }

    public static double[] globalAvgForward(double[] x, int n, int c, int h, int w) {
        double[] y = new double[n * c];
        for (int plane = 0; plane < n * c; plane++) {
            double sum = 0;
            for (int k = 0; k < h * w; k++) sum += x[plane * h * w + k];
            y[plane] = sum / (h * w);
        }
        return y;
    }

    public static double[] globalAvgBackward(double[] dy, int n, int c, int h, int w) {
        double[] dx = new double[n * c * h * w];
        for (int i = 0; i < dx.length; i++) dx[i] = dy[i / (h * w)] / (h * w);
        return dx;
    }

    private static double divisor(int oy, int ox, int h, int w, PoolWindow p, boolean countPad) {
        if (countPad) return p.kernelH() * p.kernelW();
        int y0 = oy * p.strideH() - p.padTop(), x0 = ox * p.strideW() - p.padLeft();
        return (Math.min(y0 + p.kernelH(), h) - Math.max(y0, 0)) * (Math.min(x0 + p.kernelW(), w) - Math.max(x0, 0));
    }
}
