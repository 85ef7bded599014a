package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.nn.ops.Activation;

/** Element-wise activation ({@code opencl/activation.cl}); backward reads x (ReLU kinds) or y. */
final class ActivationLayer implements Layer {
    /** PyTorch's default negative slope of LeakyReLU. */
    static final float LEAKY_SLOPE = Activation.PYTORCH_LEAKY_SLOPE;

    private final LayerSpec.Act spec;
    private final DeviceKernels kernels;
    private final int count;
    private final String prefix;

    ActivationLayer(ClContext context, LayerSpec.Act spec, Shape in, int batch) {
        this.spec = spec;
        this.kernels = new DeviceKernels(context, "activation.cl");
        this.count = batch * in.size();
        this.prefix = switch (spec.kind()) {
            case RELU -> "relu";
            case RELU6 -> "relu6";
            case LEAKY_RELU -> "leaky_relu";
            case SIGMOID -> "sigmoid";
            case TANH -> "tanh";
        };
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public void forward(ClBuffer x, ClBuffer y, boolean training, long step) {
        ClKernel k = kernels.kernel(prefix + "_fwd").arg(0, x).arg(1, y);
        if (spec.kind() == Activation.Kind.LEAKY_RELU) k.arg(2, LEAKY_SLOPE).arg(3, count);
        else k.arg(2, count);
        kernels.launch(k, count);
    }

    @Override
    public void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, long step) {
        if (dx == null) return;
        boolean readsOutput = spec.kind() == Activation.Kind.SIGMOID || spec.kind() == Activation.Kind.TANH;
        ClKernel k = kernels.kernel(prefix + "_bwd").arg(0, readsOutput ? y : x).arg(1, dy).arg(2, dx);
        if (spec.kind() == Activation.Kind.LEAKY_RELU) k.arg(3, LEAKY_SLOPE).arg(4, count);
        else k.arg(3, count);
        kernels.launch(k, count);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
