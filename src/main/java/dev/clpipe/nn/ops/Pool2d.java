package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.tensor.Tensor;

/**
 * 2-D max or average pooling of NCHW tensors ({@code opencl/pool.cl}). Max pooling keeps the
 * argmax of its last forward so {@link #backward} routes each gradient to its winner; call
 * forward then backward on the same instance. Ops enqueue and return; nothing waits.
 */
public final class Pool2d implements AutoCloseable {
    public enum Mode { MAX, AVERAGE }

    private final KernelLauncher kernels;
    private final Mode mode;
    private final PoolWindow window;
    private final boolean countPad;
    private int[] inputShape;
    private ClBuffer argmax;

    /** Average pooling divides by the full window (PyTorch count_include_pad=True). */
    public Pool2d(ClContext context, Mode mode, PoolWindow window) {
        this(context, mode, window, true);
    }

    /** {@code countPad=false} divides an average by the real (unpadded) pixels of each window. */
    public Pool2d(ClContext context, Mode mode, PoolWindow window, boolean countPad) {
        this.kernels = new KernelLauncher(context, "pool.cl");
        this.mode = mode;
        this.window = window;
        this.countPad = countPad;
    }

    public PoolWindow window() {
        return window;
    }

    public Tensor forward(Tensor x) {
        int[] s = x.requireNchw("pool2d");
        int oh = window.outH(s[2]), ow = window.outW(s[3]);
        Tensor y = Tensor.empty(x.context(), s[0], s[1], oh, ow);
        int planes = s[0] * s[1];
        inputShape = s;
        ClKernel k;
        if (mode == Mode.MAX) {
            ensureArgmax(y.size());
            k = kernels.kernel("max_pool_fwd").arg(0, x.buffer()).arg(1, y.buffer()).arg(2, argmax);
            geometry(k, 3, s, oh, ow).arg(13, planes);
        } else {
            k = kernels.kernel("avg_pool_fwd").arg(0, x.buffer()).arg(1, y.buffer());
            geometry(k, 2, s, oh, ow).arg(12, countPad ? 1 : 0).arg(13, planes);
        }
        kernels.launchGrid(k, ow, oh, planes);
        return y;
    }

    /** Gradient with respect to the input of the last {@link #forward}. */
    public Tensor backward(Tensor dy) {
        if (inputShape == null) throw new IllegalStateException("pool2d backward called before forward");
        int[] s = inputShape;
        int oh = window.outH(s[2]), ow = window.outW(s[3]);
        int[] ds = dy.requireNchw("pool2d backward");
        if (ds[0] != s[0] || ds[1] != s[1] || ds[2] != oh || ds[3] != ow) {
            throw new IllegalArgumentException("pool2d backward: gradient " + dy + " does not match the forward output [" + s[0] + ", " + s[1] + ", " + oh + ", " + ow + "]");
        }
        Tensor dx = Tensor.empty(dy.context(), s);
        int planes = s[0] * s[1];
        ClKernel k;
        if (mode == Mode.MAX) {
            k = kernels.kernel("max_pool_bwd").arg(0, dy.buffer()).arg(1, argmax).arg(2, dx.buffer());
            geometry(k, 3, s, oh, ow).arg(13, planes);
        } else {
            k = kernels.kernel("avg_pool_bwd").arg(0, dy.buffer()).arg(1, dx.buffer());
            geometry(k, 2, s, oh, ow).arg(12, countPad ? 1 : 0).arg(13, planes);
        }
        kernels.launchGrid(k, s[3], s[2], planes);
        return dx;
    }

    /** Argmax indices of the last max forward (index iy * W + ix inside each plane), for tests. */
    public int[] argmaxToHost() {
        int[] s = inputShape;
        int[] out = new int[s[0] * s[1] * window.outH(s[2]) * window.outW(s[3])];
        argmax.read(kernels.queue(), out);
        return out;
    }

    private ClKernel geometry(ClKernel k, int first, int[] s, int oh, int ow) {
        return k.arg(first, s[2]).arg(first + 1, s[3]).arg(first + 2, oh).arg(first + 3, ow)
                .arg(first + 4, window.kernelH()).arg(first + 5, window.kernelW())
                .arg(first + 6, window.strideH()).arg(first + 7, window.strideW())
                .arg(first + 8, window.padTop()).arg(first + 9, window.padLeft());
    }

    private void ensureArgmax(int count) {
        long bytes = (long) Math.max(count, 1) * Integer.BYTES;
        if (argmax == null || argmax.bytes() < bytes) {
            if (argmax != null) argmax.close();
            argmax = kernels.context().buffer(bytes);
        }
    }

    @Override
    public void close() {
        kernels.close();
        if (argmax != null) argmax.close();
    }
}
