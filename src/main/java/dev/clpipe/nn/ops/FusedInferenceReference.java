package dev.clpipe.nn.ops;

/** Plain-Java twin of {@link FusedInference}: the unfused ops' references, one after another. */
public final class FusedInferenceReference {
    private FusedInferenceReference() {}

    public static float[] maxPoolAct(float[] x, int n, int h, int w, int c, PoolWindow p, float slope) {
        double[] y = Pool2dNhwcReference.forward(Pool2d.Mode.MAX, Conv2dReference.toDouble(x), n, h, w, c, p, false);
        return Conv2dReference.toFloat(ActivationReference.forward(Activation.Kind.LEAKY_RELU, slope, y));
    }
}
