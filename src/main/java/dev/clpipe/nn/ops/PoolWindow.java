package dev.clpipe.nn.ops;

/**
 * Window, stride and padding of a 2-D pooling, with padding on every side (PyTorch pads
 * symmetrically; {@link #of} does too). Output size uses floor division (ceil_mode=False).
 * Padding must be smaller than the window so every window holds at least one real pixel.
 */
public record PoolWindow(int kernelH, int kernelW, int strideH, int strideW,
                         int padTop, int padBottom, int padLeft, int padRight) {
    public PoolWindow {
        if (kernelH < 1 || kernelW < 1) throw new IllegalArgumentException("pool window must be at least 1x1, got " + kernelH + "x" + kernelW);
        if (strideH < 1 || strideW < 1) throw new IllegalArgumentException("pool stride must be >= 1, got " + strideH + "x" + strideW);
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) throw new IllegalArgumentException("pool padding must be >= 0");
        if (padTop >= kernelH || padBottom >= kernelH || padLeft >= kernelW || padRight >= kernelW) {
            throw new IllegalArgumentException("pool padding must be smaller than the window (" + kernelH + "x" + kernelW + ")");
        }
    }

    /** Square window k, stride s, padding p on all four sides. */
    public static PoolWindow of(int k, int s, int p) {
        return new PoolWindow(k, k, s, s, p, p, p, p);
    }

    public int outH(int h) {
        return outSize(h, padTop + padBottom, kernelH, strideH, "height");
    }

    public int outW(int w) {
        return outSize(w, padLeft + padRight, kernelW, strideW, "width");
    }

    private static int outSize(int in, int pads, int k, int s, String what) {
        int span = in + pads - k;
        if (span < 0) throw new IllegalArgumentException("pool window " + k + " is larger than the padded " + what + " " + (in + pads));
        return span / s + 1;
    }
}
