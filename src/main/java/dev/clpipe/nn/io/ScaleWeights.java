package dev.clpipe.nn.io;

/** A per-channel affine layer (folded batch norm of the recognition net): y = x * weights + biases. */
public record ScaleWeights(String name, float[] weights, float[] biases) {
    public ScaleWeights {
        if (weights.length != biases.length) {
            throw new IllegalArgumentException("scale '" + name + "': " + weights.length + " weights but " + biases.length + " biases");
        }
    }

    public int channels() {
        return weights.length;
    }
}
