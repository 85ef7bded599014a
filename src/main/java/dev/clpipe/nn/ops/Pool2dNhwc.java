package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;

/**
 * 2-D max or average pooling of NHWC tensors ({@code opencl/pool_nhwc.cl}) on caller-owned
 * buffers, for the NHWC network path next to {@link Pool2d} (NCHW). Max pooling writes the argmax
 * (iy * W + ix per output element) into a caller buffer that backward reads. Enqueues only.
 */
public final class Pool2dNhwc implements AutoCloseable {
    private final OpKernels kernels;
    private final Pool2d.Mode mode;
    private final PoolWindow window;
    private final boolean countPad;

    public Pool2dNhwc(ClContext context, Pool2d.Mode mode, PoolWindow window, boolean countPad) {
        if (window.padTop() != window.padBottom() || window.padLeft() != window.padRight()) {
            throw new IllegalArgumentException("NHWC pooling pads symmetrically, got " + window);
        }
        this.kernels = new OpKernels(context, "pool_nhwc.cl");
        this.mode = mode;
        this.window = window;
        this.countPad = countPad;
    }

    public PoolWindow window() {
        return window;
    }

    /** y = pool(x) for x of {@code n x h x w x c}; {@code argmax} (int per output) only for MAX. */
    public void forward(ClBuffer x, ClBuffer y, ClBuffer argmax, int n, int h, int w, int c) {
        int total = n * window.outH(h) * window.outW(w) * c;
        ClKernel k = kernels.kernel(mode == Pool2d.Mode.MAX ? "maxpool_nhwc_fwd" : "avgpool_nhwc_fwd");
        int a = 0;
        k.arg(a++, x).arg(a++, y);
        if (mode == Pool2d.Mode.MAX) k.arg(a++, argmax);
        a = geometry(k, a, h, w, c);
        if (mode == Pool2d.Mode.AVERAGE) k.arg(a++, countPad ? 1 : 0);
        k.arg(a, total);
        kernels.launch(k, total);
    }

    /** dx (overwritten) from dy, with the argmax of the last MAX forward. */
    public void backward(ClBuffer dy, ClBuffer argmax, ClBuffer dx, int n, int h, int w, int c) {
        int total = n * h * w * c;
        ClKernel k = kernels.kernel(mode == Pool2d.Mode.MAX ? "maxpool_nhwc_bwd" : "avgpool_nhwc_bwd");
        int a = 0;
        k.arg(a++, dy);
        if (mode == Pool2d.Mode.MAX) k.arg(a++, argmax);
        k.arg(a++, dx);
        a = geometry(k, a, h, w, c);
        if (mode == Pool2d.Mode.AVERAGE) k.arg(a++, countPad ? 1 : 0);
        k.arg(a, total);
        kernels.launch(k, total);
    }

    private int geometry(ClKernel k, int a, int h, int w, int c) {
        return setAll(k, a, h, w, c, window.outH(h), window.outW(w), window.kernelH(), window.kernelW(),
                window.strideH(), window.strideW(), window.padTop(), window.padLeft());
    }

    private static int setAll(ClKernel k, int a, int... values) {
        for (int v : values) k.arg(a++, v);
        return a;
    }

    @Override
    public void close() {
        kernels.close();
    }
}
