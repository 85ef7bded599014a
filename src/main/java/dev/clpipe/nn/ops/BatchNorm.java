package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.Defines;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.tensor.Tensor;

/**
 * Batch normalisation over the channels of NCHW tensors, PyTorch BatchNorm2d semantics
 * ({@code opencl/batchnorm.cl}). The op holds no parameters: gamma, beta and the running
 * statistics are float[C] tensors the caller owns (a layer keeps them). Training forward updates
 * the running statistics in place and returns the batch mean and 1/sqrt(var + eps) for backward.
 */
public final class BatchNorm implements AutoCloseable {
    /** Work-group size of the per-channel reductions. */
    static final int LOCAL_SIZE = 128;

    /** Output plus the batch statistics backward needs; close all three. */
    public record Training(Tensor y, Tensor mean, Tensor invStd) implements AutoCloseable {
        @Override
        public void close() {
            y.close();
            mean.close();
            invStd.close();
        }
    }

    /** Gradients for x, gamma and beta; close all three. */
    public record Gradients(Tensor dx, Tensor dGamma, Tensor dBeta) implements AutoCloseable {
        @Override
        public void close() {
            dx.close();
            dGamma.close();
            dBeta.close();
        }
    }

    private final KernelLauncher kernels;
    private final float eps;
    private final float momentum;

    /** PyTorch defaults: eps 1e-5, momentum 0.1. */
    public BatchNorm(ClContext context) {
        this(context, 1e-5f, 0.1f);
    }

    public BatchNorm(ClContext context, float eps, float momentum) {
        if (!(eps > 0)) throw new IllegalArgumentException("batchnorm eps must be > 0, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("batchnorm momentum must be within [0, 1], got " + momentum);
        this.kernels = new KernelLauncher(context, Defines.of().set("LOCAL_SIZE", LOCAL_SIZE).spec("batchnorm.cl"));
        this.eps = eps;
        this.momentum = momentum;
    }

    /** Normalises with batch statistics and updates {@code runningMean}/{@code runningVar} in place. */
    public Training forwardTraining(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar) {
        int[] s = check(x, gamma, beta, runningMean, runningVar);
        int c = s[1], hw = s[2] * s[3];
        Tensor mean = Tensor.empty(x.context(), c);
        Tensor invStd = Tensor.empty(x.context(), c);
        kernels.launchGroups(kernels.kernel("bn_stats").arg(0, x.buffer()).arg(1, mean.buffer()).arg(2, invStd.buffer())
                .arg(3, runningMean.buffer()).arg(4, runningVar.buffer()).arg(5, s[0]).arg(6, c).arg(7, hw)
                .arg(8, eps).arg(9, momentum), c, LOCAL_SIZE);
        Tensor y = x.emptyLike();
        kernels.launchGrid(kernels.kernel("bn_apply").arg(0, x.buffer()).arg(1, y.buffer()).arg(2, mean.buffer())
                .arg(3, invStd.buffer()).arg(4, gamma.buffer()).arg(5, beta.buffer()).arg(6, c).arg(7, hw).arg(8, s[0]), hw, c, s[0]);
        return new Training(y, mean, invStd);
    }

    /** Normalises with the running statistics (evaluation mode). */
    public Tensor forwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar) {
        int[] s = check(x, gamma, beta, runningMean, runningVar);
        Tensor y = x.emptyLike();
        int hw = s[2] * s[3];
        kernels.launchGrid(kernels.kernel("bn_apply_running").arg(0, x.buffer()).arg(1, y.buffer()).arg(2, runningMean.buffer())
                .arg(3, runningVar.buffer()).arg(4, gamma.buffer()).arg(5, beta.buffer()).arg(6, eps)
                .arg(7, s[1]).arg(8, hw).arg(9, s[0]), hw, s[1], s[0]);
        return y;
    }

    /** Gradients of a training-mode forward, given its input and saved batch statistics. */
    public Gradients backward(Tensor x, Tensor dy, Tensor gamma, Tensor mean, Tensor invStd) {
        int[] s = check(x, gamma, gamma, mean, invStd);
        if (!dy.sameShape(x)) throw new IllegalArgumentException("batchnorm backward: dy " + dy + " does not match x " + x);
        int c = s[1], hw = s[2] * s[3];
        Tensor dGamma = Tensor.empty(x.context(), c);
        Tensor dBeta = Tensor.empty(x.context(), c);
        kernels.launchGroups(kernels.kernel("bn_bwd_reduce").arg(0, x.buffer()).arg(1, dy.buffer()).arg(2, mean.buffer())
                .arg(3, invStd.buffer()).arg(4, dGamma.buffer()).arg(5, dBeta.buffer()).arg(6, s[0]).arg(7, c).arg(8, hw), c, LOCAL_SIZE);
        Tensor dx = x.emptyLike();
        kernels.launchGrid(kernels.kernel("bn_bwd_apply").arg(0, x.buffer()).arg(1, dy.buffer()).arg(2, mean.buffer())
                .arg(3, invStd.buffer()).arg(4, gamma.buffer()).arg(5, dGamma.buffer()).arg(6, dBeta.buffer())
                .arg(7, dx.buffer()).arg(8, s[0] * hw).arg(9, c).arg(10, hw).arg(11, s[0]), hw, c, s[0]);
        return new Gradients(dx, dGamma, dBeta);
    }

    private static int[] check(Tensor x, Tensor... perChannel) {
        int[] s = x.requireNchw("batchnorm");
        for (Tensor t : perChannel) {
            if (t.size() != s[1]) throw new IllegalArgumentException("batchnorm: per-channel tensor " + t + " must hold C = " + s[1] + " values");
        }
        return s;
    }

    @Override
    public void close() {
        kernels.close();
    }
}
