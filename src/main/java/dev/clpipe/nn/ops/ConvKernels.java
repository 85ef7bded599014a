package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;

/** One family's implementation of the convolution passes for a fixed shape (see {@link Conv2d}). */
interface ConvKernels extends AutoCloseable {
    void forward(ClBuffer x, ClBuffer w, ClBuffer bias, boolean hasBias, ClBuffer y);

    void backwardData(ClBuffer dy, ClBuffer w, ClBuffer dx);

    void backwardWeights(ClBuffer x, ClBuffer dy, ClBuffer dw);

    String describe();

    @Override
    void close();
}
