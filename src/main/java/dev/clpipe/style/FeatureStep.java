package dev.clpipe.style;

import dev.clpipe.tensor.Tensor;

/**
 * One differentiable step of a {@link FeatureChain} with a fixed input size (batch 1, NHWC):
 * forward keeps what backward needs; backward gives the gradient with respect to the step's
 * input only (the weights are frozen). Returned tensors belong to the step and are overwritten by
 * its next call.
 */
interface FeatureStep extends AutoCloseable {
    String name();

    /** Output {height, width, channels}. */
    int[] outShape();

    Tensor forward(Tensor x);

    Tensor backward(Tensor dy);

    @Override
    void close();
}
