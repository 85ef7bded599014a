package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.tensor.Tensor;

/**
 * Stochastic gradient descent on the device with PyTorch {@code torch.optim.SGD} semantics:
 * weight decay added to the gradient, momentum buffer initialised to the first gradient,
 * dampening, optional Nesterov ({@code opencl/optim.cl}). Per-parameter state lives in a
 * {@link State} the caller keeps next to the parameter.
 */
public final class Sgd implements AutoCloseable {
    /** Hyper-parameters, validated; {@code lr} may be changed between steps by making a new record. */
    public record Config(float lr, float momentum, float dampening, float weightDecay, boolean nesterov) {
        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("sgd lr must be >= 0, got " + lr);
            if (!(momentum >= 0)) throw new IllegalArgumentException("sgd momentum must be >= 0, got " + momentum);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("sgd weight_decay must be >= 0, got " + weightDecay);
            if (nesterov && (momentum <= 0 || dampening != 0)) throw new IllegalArgumentException("sgd nesterov needs momentum > 0 and dampening = 0");
        }

        public static Config of(float lr, float momentum, float weightDecay) {
            return new Config(lr, momentum, 0f, weightDecay, false);
        }
    }

    /** Momentum buffer of one parameter (allocated on the first step with momentum) and the step count. */
    public static final class State implements AutoCloseable {
        private Tensor momentumBuffer;
        private long steps;

        public long steps() {
            return steps;
        }

        public Tensor momentumBuffer() {
            return momentumBuffer;
        }

        @Override
        public void close() {
            if (momentumBuffer != null) momentumBuffer.close();
        }
    }

    private final KernelLauncher kernels;
    private Config config;

    public Sgd(ClContext context, Config config) {
        this.kernels = new KernelLauncher(context, "optim.cl");
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /** Replaces the hyper-parameters (learning-rate schedules). */
    public void setConfig(Config config) {
        this.config = config;
    }

    /** param -= lr * update(grad), in place, enqueued. */
    public void step(Tensor param, Tensor grad, State state) {
        if (!param.sameShape(grad)) throw new IllegalArgumentException("sgd: gradient " + grad + " does not match parameter " + param);
        int n = param.size();
        // The momentum buffer exists only once momentum is used; it starts as the gradient (PyTorch).
        boolean first = false;
        if (config.momentum() != 0 && state.momentumBuffer == null) {
            state.momentumBuffer = Tensor.empty(param.context(), n);
            first = true;
        }
        // Without momentum the kernel never touches its buffer argument; pass the gradient as a stand-in.
        var buffer = state.momentumBuffer != null ? state.momentumBuffer.buffer() : grad.buffer();
        step(param.buffer(), grad.buffer(), buffer, n, first);
        state.steps++;
    }

    /**
     * The same update on plain buffers of {@code n} floats whose state the caller owns (the
     * trainer's optimiser keeps it by name for checkpoints). {@code first}: the momentum buffer
     * starts as the gradient; without momentum pass the gradient as {@code momentum}.
     */
    public void step(ClBuffer param, ClBuffer grad, ClBuffer momentum, int n, boolean first) {
        kernels.launch(kernels.kernel("sgd_step").arg(0, param).arg(1, grad).arg(2, momentum)
                .arg(3, config.lr()).arg(4, config.momentum()).arg(5, config.dampening()).arg(6, config.weightDecay())
                .arg(7, config.nesterov() ? 1 : 0).arg(8, first ? 1 : 0).arg(9, n), n);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
