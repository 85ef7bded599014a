package dev.clpipe.nn;

/** A model whose layer shapes do not fit together; names the layer (index and name) and the shapes. */
public final class ShapeException extends IllegalArgumentException {
    private final int layerIndex;

    public ShapeException(int layerIndex, String message) {
        super(message);
        this.layerIndex = layerIndex;
    }

    /** Index of the offending layer in the model's layer list. */
    public int layerIndex() {
        return layerIndex;
    }
}
