package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.tensor.Tensor;

/**
 * Element-wise activation ({@code opencl/activation.cl}), any shape or layout. Backward is
 * stateless: pass the forward input and output (ReLU-style kinds read x, sigmoid/tanh read y).
 */
public final class Activation implements AutoCloseable {
    public enum Kind { RELU, RELU6, LEAKY_RELU, SIGMOID, TANH }

    /** PyTorch's default negative slope of LeakyReLU: clpipe's training layers use it, ONNX export writes it. */
    public static final float PYTORCH_LEAKY_SLOPE = 0.01f;

    private final KernelLauncher kernels;
    private final Kind kind;
    private final float slope;

    public Activation(ClContext context, Kind kind) {
        this(context, kind, PYTORCH_LEAKY_SLOPE);
    }

    /** {@code slope} is the negative-side slope of {@link Kind#LEAKY_RELU} (PyTorch default 0.01). */
    public Activation(ClContext context, Kind kind, float slope) {
        this.kernels = new KernelLauncher(context, "activation.cl");
        this.kind = kind;
        this.slope = slope;
    }

    public Kind kind() {
        return kind;
    }

    public Tensor forward(Tensor x) {
        Tensor y = x.emptyLike();
        int n = x.size();
        ClKernel k = kernels.kernel(prefix() + "_fwd").arg(0, x.buffer()).arg(1, y.buffer());
        if (kind == Kind.LEAKY_RELU) k.arg(2, slope).arg(3, n);
        else k.arg(2, n);
        kernels.launch(k, n);
        return y;
    }

    /** y = f(x) over the first {@code n} floats of caller-owned buffers (may be the same buffer); enqueues only. */
    public void forward(ClBuffer x, ClBuffer y, int n) {
        ClKernel k = kernels.kernel(prefix() + "_fwd").arg(0, x).arg(1, y);
        if (kind == Kind.LEAKY_RELU) k.arg(2, slope).arg(3, n);
        else k.arg(2, n);
        kernels.launch(k, n);
    }

    /**
     * dx = f'(.) * dy over the first {@code n} floats of caller-owned buffers, given the forward input
     * {@code x} and output {@code y} (only the one the kind needs is read); enqueues only.
     */
    public void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, int n) {
        ClBuffer saved = (kind == Kind.SIGMOID || kind == Kind.TANH) ? y : x;
        ClKernel k = kernels.kernel(prefix() + "_bwd").arg(0, saved).arg(1, dy).arg(2, dx);
        if (kind == Kind.LEAKY_RELU) k.arg(3, slope).arg(4, n);
        else k.arg(3, n);
        kernels.launch(k, n);
    }

    /** dx for gradient {@code dy}, given the forward input {@code x} and output {@code y}. */
    public Tensor backward(Tensor x, Tensor y, Tensor dy) {
        if (!dy.sameShape(x) || !dy.sameShape(y)) throw new IllegalArgumentException(kind + " backward: shapes differ: x " + x + ", y " + y + ", dy " + dy);
        Tensor dx = dy.emptyLike();
        int n = dy.size();
        Tensor saved = (kind == Kind.SIGMOID || kind == Kind.TANH) ? y : x;
        ClKernel k = kernels.kernel(prefix() + "_bwd").arg(0, saved.buffer()).arg(1, dy.buffer()).arg(2, dx.buffer());
        if (kind == Kind.LEAKY_RELU) k.arg(3, slope).arg(4, n);
        else k.arg(3, n);
        kernels.launch(k, n);
        return dx;
    }

    private String prefix() {
        return switch (kind) {
            case RELU -> "relu";
            case RELU6 -> "relu6";
            case LEAKY_RELU -> "leaky_relu";
            case SIGMOID -> "sigmoid";
            case TANH -> "tanh";
        };
    }

    @Override
    public void close() {
        kernels.close();
    }
}
