package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;

/** NHWC rows are already flat in HWC order: flatten only renames the shape. */
final class FlattenLayer implements Layer {
    private final LayerSpec.Flatten spec;

    FlattenLayer(LayerSpec.Flatten spec) {
        this.spec = spec;
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public boolean passThrough() {
        return true;
    }

    @Override
    public void forward(ClBuffer x, ClBuffer y, boolean training, long step) {}

    @Override
    public void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, long step) {}
}
