package dev.clpipe.nn.ops;

/**
 * Plain-Java twin of {@code conv_transpose.cl}, written the other way round: every input pixel
 * scatters its taps into the output (the kernel gathers per output), accumulating in double.
 */
public final class ConvTransposeReference {
    private ConvTransposeReference() {}

    /** y {@code [n, outH, outW, out]} from x {@code [n, h, w, in]}, weights {@code [kh][kw][in][out]}, bias {@code [out]} or null. */
    public static float[] forward(ConvTransposeWindow win, float[] x, int n, int h, int w, int in, int out, float[] weights, float[] bias) {
        int oh = win.outH(h), ow = win.outW(w);
        double[] acc = new double[n * oh * ow * out];
        for (int b = 0; b < n; b++) {
            for (int iy = 0; iy < h; iy++) for (int ix = 0; ix < w; ix++) for (int ky = 0; ky < win.kernelH(); ky++) {
                int oy = iy * win.strideH() + ky * win.dilationH() - win.padTop();
                if (oy < 0 || oy >= oh) continue;
                for (int kx = 0; kx < win.kernelW(); kx++) {
                    int ox = ix * win.strideW() + kx * win.dilationW() - win.padLeft();
                    if (ox < 0 || ox >= ow) continue;
                    for (int ci = 0; ci < in; ci++) {
                        double v = x[((b * h + iy) * w + ix) * in + ci];
                        for (int co = 0; co < out; co++) {
                            acc[((b * oh + oy) * ow + ox) * out + co] += v * weights[((ky * win.kernelW() + kx) * in + ci) * out + co];
                        }
                    }
                }
            }
        }
        float[] y = new float[acc.length];
        for (int i = 0; i < y.length; i++) y[i] = (float) (acc[i] + (bias == null ? 0 : bias[i % out]));
        return y;
    }
}
