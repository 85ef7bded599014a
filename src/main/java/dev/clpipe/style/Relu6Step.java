package dev.clpipe.style;

import dev.clpipe.tensor.Tensor;

/** relu6 (MobileNet v1), from {@code style.cl}. */
final class Relu6Step implements FeatureStep {
    private final String name;
    private final StyleOps ops;
    private final Tensor out;
    private final Tensor dx;
    private Tensor input;

    Relu6Step(StyleOps ops, String name, int[] shape) {
        this.name = name;
        this.ops = ops;
        this.out = Tensor.empty(ops.context(), dev.clpipe.tensor.Layout.NHWC, 1, shape[0], shape[1], shape[2]);
        this.dx = out.emptyLike();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int[] outShape() {
        return new int[] {out.dim(1), out.dim(2), out.dim(3)};
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

    @Override
    public void close() {
        out.close();
        dx.close();
    }
}
