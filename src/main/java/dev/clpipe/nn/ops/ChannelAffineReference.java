package dev.clpipe.nn.ops;

/** Plain-Java twin of {@link ChannelAffine}, in float (the same operation order as the kernel). */
public final class ChannelAffineReference {
    private ChannelAffineReference() {}

    public static float[] forward(float[] x, float[] sub, float[] mul, float[] add) {
        int c = sub.length;
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (x[i] - sub[i % c]) * mul[i % c] + add[i % c];
        return y;
    }
}
