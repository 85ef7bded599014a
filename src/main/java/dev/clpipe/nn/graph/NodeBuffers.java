package dev.clpipe.nn.graph;

import dev.clpipe.cl.ClBuffer;

/**
 * The device buffers one node's {@link PlanStep} works on: its inputs' activations {@code xs},
 * its output {@code y}, the gradient {@code dy} of its output, and {@code dx[k]}, the gradient
 * buffer for input k, null when nobody needs it (the plan's own array: freezing changes it).
 */
record NodeBuffers(ClBuffer[] xs, ClBuffer y, ClBuffer dy, ClBuffer[] dx) {
    ClBuffer x() {
        return xs[0];
    }

    /** The gradient of input k when wanted, else null. */
    ClBuffer dx(int k) {
        return dx[k];
    }
}
