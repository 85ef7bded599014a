package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Activation;

/** Element-wise activation ({@code opencl/activation.cl}); backward reads x (ReLU kinds) or y. */
final class ActivationLayer implements Layer {
    /** PyTorch's default negative slope of LeakyReLU. */
    static final float LEAKY_SLOPE = Activation.PYTORCH_LEAKY_SLOPE;

    private final LayerSpec.Act spec;
    private final Activation op;
    private final int count;

    ActivationLayer(ClContext context, LayerSpec.Act spec, Shape in, int batch) {
        this.spec = spec;
        this.op = new Activation(context, spec.kind(), LEAKY_SLOPE);
        this.count = batch * in.size();
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public void forward(ClBuffer x, ClBuffer y, boolean training, long step) {
        op.forward(x, y, count);
    }

    @Override
    public void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, long step) {
        if (dx != null) op.backward(x, y, dy, dx, count);
    }

    @Override
    public void close() {
        op.close();
    }
}
