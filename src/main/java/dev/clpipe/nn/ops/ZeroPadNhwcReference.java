package dev.clpipe.nn.ops;

/** Plain-Java twin of {@link ZeroPadNhwc}. */
public final class ZeroPadNhwcReference {
    private ZeroPadNhwcReference() {}

    public static float[] forward(float[] in, int n, int h, int w, int c, ZeroPadNhwc.Pads p) {
        int oh = h + p.top() + p.bottom(), ow = w + p.left() + p.right(), oc = c + p.channels();
        float[] out = new float[n * oh * ow * oc];
        for (int b = 0; b < n; b++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int k = 0; k < c; k++) {
            out[((b * oh + y + p.top()) * ow + x + p.left()) * oc + k] = in[((b * h + y) * w + x) * c + k];
        }
        return out;
    }
}
