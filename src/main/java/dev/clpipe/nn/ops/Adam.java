package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.tensor.Tensor;

/**
 * Adam on the device with PyTorch {@code torch.optim.Adam} semantics (bias-corrected moments;
 * weight decay as L2 added to the gradient) or, with {@code decoupled}, {@code torch.optim.AdamW}
 * (p *= 1 - lr * wd before the update). Bias corrections are computed in double on the host.
 */
public final class Adam implements AutoCloseable {
    public record Config(float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled) {
        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("adam lr must be >= 0, got " + lr);
            if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("adam beta1 must be within [0, 1), got " + beta1);
            if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("adam beta2 must be within [0, 1), got " + beta2);
            if (!(eps >= 0)) throw new IllegalArgumentException("adam eps must be >= 0, got " + eps);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("adam weight_decay must be >= 0, got " + weightDecay);
        }

        /** PyTorch Adam defaults with the given learning rate. */
        public static Config adam(float lr) {
            return new Config(lr, 0.9f, 0.999f, 1e-8f, 0f, false);
        }

        /** PyTorch AdamW defaults (weight decay 0.01) with the given learning rate. */
        public static Config adamW(float lr) {
            return new Config(lr, 0.9f, 0.999f, 1e-8f, 0.01f, true);
        }
    }

    /** First and second moments of one parameter and its step count. */
    public static final class State implements AutoCloseable {
        private Tensor m;
        private Tensor v;
        private long steps;

        public long steps() {
            return steps;
        }

        @Override
        public void close() {
            if (m != null) m.close();
            if (v != null) v.close();
        }
    }

    private final KernelLauncher kernels;
    private Config config;

    public Adam(ClContext context, Config config) {
        this.kernels = new KernelLauncher(context, "optim.cl");
        this.config = config;
    }

    public Config config() {
        return config;
    }

    public void setConfig(Config config) {
        this.config = config;
    }

    public void step(Tensor param, Tensor grad, State state) {
        if (!param.sameShape(grad)) throw new IllegalArgumentException("adam: gradient " + grad + " does not match parameter " + param);
        if (state.m == null) {
            state.m = Tensor.zeros(param.context(), param.size());
            state.v = Tensor.zeros(param.context(), param.size());
        }
        step(param.buffer(), grad.buffer(), state.m.buffer(), state.v.buffer(), param.size(), ++state.steps);
    }

    /**
     * Update number {@code t} (1-based, for the bias corrections) on plain buffers of {@code n}
     * floats whose moments the caller owns (the trainer's optimiser keeps them by name for checkpoints).
     */
    public void step(ClBuffer param, ClBuffer grad, ClBuffer m, ClBuffer v, int n, long t) {
        double bc1 = 1 - Math.pow(config.beta1(), t);
        double bc2 = 1 - Math.pow(config.beta2(), t);
        kernels.launch(kernels.kernel("adam_step").arg(0, param).arg(1, grad).arg(2, m)
                .arg(3, v).arg(4, config.lr()).arg(5, config.beta1()).arg(6, config.beta2()).arg(7, config.eps())
                .arg(8, config.weightDecay()).arg(9, config.decoupled() ? 1 : 0).arg(10, (float) (config.lr() / bc1))
                .arg(11, (float) Math.sqrt(bc2)).arg(12, n), n);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
