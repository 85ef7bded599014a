package dev.clpipe.style;

import dev.clpipe.cl.ClContext;
import dev.clpipe.tensor.Layout;
import dev.clpipe.tensor.Tensor;

/** A step that owns its output and input-gradient tensors, allocated once for its fixed sizes. */
abstract class OwnedBuffersStep implements FeatureStep {
    private final String name;
    protected final Tensor out;
    protected final Tensor dx;

    /** {@code in} and {@code outShape} are {height, width, channels}. */
    OwnedBuffersStep(ClContext context, String name, int[] in, int[] outShape) {
        this.name = name;
        this.out = Tensor.empty(context, Layout.NHWC, 1, outShape[0], outShape[1], outShape[2]);
        this.dx = Tensor.empty(context, Layout.NHWC, 1, in[0], in[1], in[2]);
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
    public void close() {
        out.close();
        dx.close();
    }
}
