package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.tensor.Tensor;

/** Global average pooling: NCHW [N, C, H, W] to [N, C, 1, 1] ({@code opencl/pool.cl}). */
public final class GlobalAvgPool implements AutoCloseable {
    private final KernelLauncher kernels;

    public GlobalAvgPool(ClContext context) {
        this.kernels = new KernelLauncher(context, "pool.cl");
    }

    public Tensor forward(Tensor x) {
        int[] s = x.requireNchw("global average pool");
        Tensor y = Tensor.empty(x.context(), s[0], s[1], 1, 1);
        int planes = s[0] * s[1];
        kernels.launch(kernels.kernel("global_avg_fwd").arg(0, x.buffer()).arg(1, y.buffer()).arg(2, s[2] * s[3]).arg(3, planes), planes);
        return y;
    }

    /** dx[n, c, h, w] = dy[n, c] / (H * W); {@code inputShape} is the forward input's NCHW shape. */
    public Tensor backward(Tensor dy, int[] inputShape) {
        if (dy.size() != inputShape[0] * inputShape[1]) {
            throw new IllegalArgumentException("global average pool backward: gradient " + dy + " does not match input planes " + inputShape[0] * inputShape[1]);
        }
        Tensor dx = Tensor.empty(dy.context(), inputShape);
        int hw = inputShape[2] * inputShape[3], planes = inputShape[0] * inputShape[1];
        kernels.launchGrid(kernels.kernel("global_avg_bwd").arg(0, dy.buffer()).arg(1, dx.buffer())
                .arg(2, hw).arg(3, planes), hw, planes);
        return dx;
    }

    @Override
    public void close() {
        kernels.close();
    }
}
