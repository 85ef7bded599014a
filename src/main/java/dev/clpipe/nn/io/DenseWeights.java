package dev.clpipe.nn.io;

/**
 * A fully connected layer as TensorFlow stores it: {@code weights} row-major {@code [in, out]}
 * (y = x · W + b, tf.matMul(x, W)), {@code bias} {@code [out]} or null when the layer has none.
 */
public record DenseWeights(String name, int in, int out, float[] weights, float[] bias) {
    public DenseWeights {
        if (weights.length != (long) in * out) {
            throw new IllegalArgumentException("dense '" + name + "': " + weights.length + " weights for [" + in + "," + out + "]");
        }
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException("dense '" + name + "': bias has " + bias.length + " values, expected " + out);
        }
    }

    public boolean hasBias() {
        return bias != null;
    }

    /** A new array in {@code [out, in]} order (each output's weights contiguous). */
    public float[] toOutIn() {
        float[] t = new float[weights.length];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) t[o * in + i] = weights[i * out + o];
        }
        return t;
    }
}
