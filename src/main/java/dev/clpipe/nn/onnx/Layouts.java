package dev.clpipe.nn.onnx;

/** NCHW (ONNX, PyTorch) and NHWC (clpipe's graph) orders of a batch of feature maps. */
final class Layouts {
    private Layouts() {}

    static float[] nchwToNhwc(float[] x, int n, int c, int h, int w) {
        float[] y = new float[x.length];
        int hw = h * w;
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < c; k++) {
                int src = (b * c + k) * hw, dst = b * hw * c + k;
                for (int p = 0; p < hw; p++) y[dst + p * c] = x[src + p];
            }
        }
        return y;
    }

    static float[] nhwcToNchw(float[] x, int n, int h, int w, int c) {
        float[] y = new float[x.length];
        int hw = h * w;
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < c; k++) {
                int dst = (b * c + k) * hw, src = b * hw * c + k;
                for (int p = 0; p < hw; p++) y[dst + p] = x[src + p * c];
            }
        }
        return y;
    }
}
