package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.tensor.Tensor;

/**
 * Resizes NCHW tensors to [N, C, outH, outW] ({@code opencl/resize.cl}), matching PyTorch
 * {@code F.interpolate(x, size=(outH, outW), mode=..., align_corners=False)}. Any output size,
 * up or down; integer factors give the usual 2x/4x upsampling of detection heads.
 * {@link #forwardNhwc} is the inference form on NHWC maps (imported ONNX Resize): the same source
 * coordinates, with the step between source pixels given (ONNX scales: 1 / scale).
 */
public final class Upsample implements AutoCloseable {
    public enum Mode { NEAREST, BILINEAR }

    private final KernelLauncher kernels;
    private final Mode mode;
    private final int outH;
    private final int outW;

    public Upsample(ClContext context, Mode mode, int outH, int outW) {
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("upsample output size must be positive, got " + outH + "x" + outW);
        this.kernels = new KernelLauncher(context, "resize.cl");
        this.mode = mode;
        this.outH = outH;
        this.outW = outW;
    }

    public Tensor forward(Tensor x) {
        int[] s = x.requireNchw("upsample");
        Tensor y = Tensor.empty(x.context(), s[0], s[1], outH, outW);
        launch(mode == Mode.NEAREST ? "nearest_fwd" : "bilinear_fwd", x, y, s);
        return y;
    }

    /** Gradient with respect to an input of shape {@code inputShape} (NCHW). */
    public Tensor backward(Tensor dy, int[] inputShape) {
        int[] d = dy.requireNchw("upsample backward");
        if (d[0] != inputShape[0] || d[1] != inputShape[1] || d[2] != outH || d[3] != outW) {
            throw new IllegalArgumentException("upsample backward: gradient " + dy + " does not match output [" + inputShape[0] + ", " + inputShape[1] + ", " + outH + ", " + outW + "]");
        }
        Tensor dx = Tensor.empty(dy.context(), inputShape);
        launch(mode == Mode.NEAREST ? "nearest_bwd" : "bilinear_bwd", dy, dx, inputShape);
        return dx;
    }

    /**
     * Enqueues y {@code [n, outH, outW, c]} from x {@code [n, h, w, c]} (NHWC); {@code stepH} and
     * {@code stepW} are source pixels per output pixel ({@link #scale} for a given output size).
     */
    public void forwardNhwc(ClBuffer x, ClBuffer y, int n, int h, int w, int c, float stepH, float stepW) {
        int rows = n * outH;
        kernels.launchGrid(kernels.kernel(mode == Mode.NEAREST ? "nearest_fwd_nhwc" : "bilinear_fwd_nhwc").arg(0, x).arg(1, y)
                .arg(2, h).arg(3, w).arg(4, c).arg(5, outH).arg(6, outW).arg(7, stepH).arg(8, stepW).arg(9, rows), c, outW, rows);
    }

    /** Source step per output pixel, in float as PyTorch computes it (in / out). */
    public static float scale(int in, int out) {
        return (float) in / (float) out;
    }

    /** One work-item per element of {@code to} (output for forward, input for backward). */
    private void launch(String name, Tensor from, Tensor to, int[] in) {
        int planes = in[0] * in[1];
        kernels.launchGrid(kernels.kernel(name).arg(0, from.buffer()).arg(1, to.buffer()).arg(2, in[2]).arg(3, in[3])
                .arg(4, outH).arg(5, outW).arg(6, scale(in[2], outH)).arg(7, scale(in[3], outW)).arg(8, planes),
                to.dim(3), to.dim(2), planes);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
