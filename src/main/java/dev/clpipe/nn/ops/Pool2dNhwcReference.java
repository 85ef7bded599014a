package dev.clpipe.nn.ops;

/**
 * Plain-Java twin of {@link Pool2dNhwc}: transposes NHWC to NCHW, applies {@link Pool2dReference}
 * and transposes back, so both layouts share one reference implementation.
 */
public final class Pool2dNhwcReference {
    private Pool2dNhwcReference() {}

    public static double[] forward(Pool2d.Mode mode, double[] x, int n, int h, int w, int c, PoolWindow p, boolean countPad) {
        double[] nchw = toNchw(x, n, h, w, c);
        double[] y = mode == Pool2d.Mode.MAX ? Pool2dReference.maxForward(nchw, n, c, h, w, p, null)
                : Pool2dReference.avgForward(nchw, n, c, h, w, p, countPad);
        return toNhwc(y, n, p.outH(h), p.outW(w), c);
    }

    public static double[] backward(Pool2d.Mode mode, double[] x, double[] dy, int n, int h, int w, int c, PoolWindow p, boolean countPad) {
        int oh = p.outH(h), ow = p.outW(w);
        double[] dyNchw = toNchw(dy, n, oh, ow, c);
        double[] dx;
        if (mode == Pool2d.Mode.MAX) {
            int[] arg = new int[n * c * oh * ow];
            Pool2dReference.maxForward(toNchw(x, n, h, w, c), n, c, h, w, p, arg);
            dx = Pool2dReference.maxBackward(dyNchw, arg, n, c, h, w, p);
        } else {
            dx = Pool2dReference.avgBackward(dyNchw, n, c, h, w, p, countPad);
        }
        return toNhwc(dx, n, h, w, c);
    }

    /** Max pooling of relu(x): the form of a ReLU folded into the pool ({@code Pool2dNhwc}'s relu flag), as the pair it replaces. */
    public static double[] maxAfterRelu(double[] x, int n, int h, int w, int c, PoolWindow p) {
        return forward(Pool2d.Mode.MAX, relu(x), n, h, w, c, p, false);
    }

    /** d/dx of {@link #maxAfterRelu}: the pool's backward on relu(x), passed only where x > 0 (ReLU's backward). */
    public static double[] maxAfterReluBackward(double[] x, double[] dy, int n, int h, int w, int c, PoolWindow p) {
        double[] dx = backward(Pool2d.Mode.MAX, relu(x), dy, n, h, w, c, p, false);
        for (int i = 0; i < dx.length; i++) if (!(x[i] > 0)) dx[i] = 0;
        return dx;
    }

    private static double[] relu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : 0;
        return y;
    }

    static double[] toNchw(double[] a, int n, int h, int w, int c) {
        double[] out = new double[a.length];
        for (int b = 0; b < n; b++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int k = 0; k < c; k++) {
            out[((b * c + k) * h + y) * w + x] = a[((b * h + y) * w + x) * c + k];
        }
        return out;
    }

    static double[] toNhwc(double[] a, int n, int h, int w, int c) {
        double[] out = new double[a.length];
        for (int b = 0; b < n; b++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int k = 0; k < c; k++) {
            out[((b * h + y) * w + x) * c + k] = a[((b * c + k) * h + y) * w + x];
        }
        return out;
    }
}
