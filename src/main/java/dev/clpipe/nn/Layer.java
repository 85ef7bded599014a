package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import java.util.List;

/**
 * One layer on one device for a fixed batch size. Activations are NHWC device buffers owned by
 * the {@link Network}; calls only enqueue work (no host round trips, no waits).
 */
interface Layer extends AutoCloseable {
    LayerSpec spec();

    /** Parameters and state, trainable or not, in a stable order. */
    default List<Param> params() {
        return List.of();
    }

    /** y = layer(x). {@code step} seeds per-step randomness (dropout). */
    void forward(ClBuffer x, ClBuffer y, boolean training, long step);

    /**
     * Gradients of the parameters (overwritten) and dx (overwritten) from dy, for the last training
     * forward with these x and y. {@code dx} is null when the input needs no gradient.
     */
    void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, long step);

    /** True when the output is the input itself (flatten): the network passes buffers through. */
    default boolean passThrough() {
        return false;
    }

    @Override
    default void close() {}
}
