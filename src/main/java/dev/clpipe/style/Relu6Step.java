package dev.clpipe.style;

import dev.clpipe.tensor.Tensor;

/** relu6 (MobileNet v1), from {@code style.cl}. */
final class Relu6Step extends OwnedBuffersStep {
    private final StyleOps ops;
    private Tensor input;

    Relu6Step(StyleOps ops, String name, int[] shape) {
        super(ops.context(), name, shape, shape);
        this.ops = ops;
    }

    @Override
    public Tensor forward(Tensor x) {
        input = x;
        ops.relu6Forward(x.buffer(), out.buffer(), out.size());
        return out;
    }

    @Override
    public Tensor backward(Tensor dy) {
        ops.relu6Backward(input.buffer(), dy.buffer(), dx.buffer(), dx.size());
        return dx;
    }
}
