package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.cl.ProgramSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * 2-D max or average pooling of NHWC tensors ({@code opencl/pool.cl}, NHWC part) on caller-owned
 * buffers, for the NHWC network path next to {@link Pool2d} (NCHW). Max pooling writes the argmax
 * (iy * W + ix per output element) into a caller buffer that backward reads. Padding may differ
 * per side (TensorFlow 'same' puts the odd row/column after): the kernels read only the top/left
 * padding and the output size. Enqueues only.
 */
public final class Pool2dNhwc implements AutoCloseable {
    private final KernelLauncher kernels;
    private final Pool2d.Mode mode;
    private final PoolWindow window;
    private final boolean countPad;
    private final boolean relu;
    private final TiledKernels tiledKernels;
    /** Per channel count, the per-pixel program built for it and this window. */
    private final Map<Integer, KernelLauncher> pixelKernels = new HashMap<>();

    /** The max-pool kernels for windows that tile the input exactly (stride == window, no padding). */
    public enum TiledKernels {
        /** {@code maxpool_nhwc_*_tiled} over (C, OW, N*OH): one program for every window and channel count; the anchor PIXEL is checked against. */
        CHANNEL_GRID,
        /**
         * {@code maxpool_nhwc_*_px}, one work-item per output pixel with its channels in vector runs, built per
         * channel count and window; what runs (4-16x faster than CHANNEL_GRID at LeNet's 28x28x6 and 10x10x16 pools).
         */
        PIXEL
    }

    public Pool2dNhwc(ClContext context, Pool2d.Mode mode, PoolWindow window, boolean countPad) {
        this(context, mode, window, countPad, false);
    }

    /**
     * @param relu max pooling only: the input is a ReLU's input and the ReLU is folded in: y = max(0, window
     *             max) (exactly relu's output pooled) with argmax -1 where that is 0, so {@link #backward}
     *             gives ReLU's input gradient (dy only where y > 0)
     */
    public Pool2dNhwc(ClContext context, Pool2d.Mode mode, PoolWindow window, boolean countPad, boolean relu) {
        this(context, mode, window, countPad, relu, TiledKernels.PIXEL);
    }

    /** With a choice of the max-pool kernels for tiling windows (benchmarks and tests compare them). */
    public Pool2dNhwc(ClContext context, Pool2d.Mode mode, PoolWindow window, boolean countPad, boolean relu, TiledKernels tiledKernels) {
        if (relu && mode != Pool2d.Mode.MAX) throw new IllegalArgumentException("only max pooling folds a ReLU in, got " + mode);
        this.kernels = new KernelLauncher(context, "pool.cl");
        this.mode = mode;
        this.window = window;
        this.countPad = countPad;
        this.relu = relu;
        this.tiledKernels = Objects.requireNonNull(tiledKernels, "tiledKernels");
    }

    public PoolWindow window() {
        return window;
    }

    /** y = pool(x) for x of {@code n x h x w x c}; {@code argmax} (int per output) only for MAX. */
    public void forward(ClBuffer x, ClBuffer y, ClBuffer argmax, int n, int h, int w, int c) {
        if (mode == Pool2d.Mode.MAX && tiles(h, w)) {
            tiledLaunch(true, x, y, argmax, n, h, w, c);
            return;
        }
        if (mode == Pool2d.Mode.MAX && c % 16 == 0) {
            vectorLaunch("maxpool_nhwc_fwd_v16", x, y, argmax, h, w, c, window.outW(w), n, window.outH(h));
            return;
        }
        int total = n * window.outH(h) * window.outW(w) * c;
        ClKernel k = kernels.kernel(mode == Pool2d.Mode.MAX ? "maxpool_nhwc_fwd" : "avgpool_nhwc_fwd");
        int a = 0;
        k.arg(a++, x).arg(a++, y);
        if (mode == Pool2d.Mode.MAX) k.arg(a++, argmax);
        a = geometry(k, a, h, w, c);
        if (mode == Pool2d.Mode.AVERAGE) k.arg(a++, countPad ? 1 : 0);
        else k.arg(a++, relu ? 1 : 0);
        k.arg(a, total);
        kernels.launch(k, total);
    }

    /** dx (overwritten) from dy, with the argmax of the last MAX forward. */
    public void backward(ClBuffer dy, ClBuffer argmax, ClBuffer dx, int n, int h, int w, int c) {
        if (mode == Pool2d.Mode.MAX && tiles(h, w)) {
            tiledLaunch(false, dy, argmax, dx, n, h, w, c);
            return;
        }
        if (mode == Pool2d.Mode.MAX && c % 16 == 0) {
            vectorLaunch("maxpool_nhwc_bwd_v16", dy, argmax, dx, h, w, c, w, n, h);
            return;
        }
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

    /**
     * Windows that tile the input exactly (stride == window, no padding, sizes divisible) take the
     * {@link TiledKernels}. Their argmax is the offset inside the window.
     */
    private boolean tiles(int h, int w) {
        return window.strideH() == window.kernelH() && window.strideW() == window.kernelW() && window.padTop() == 0
                && window.padLeft() == 0 && h % window.kernelH() == 0 && w % window.kernelW() == 0;
    }

    /** (x, y, argmax) forward with the relu flag, or (dy, argmax, dx) backward, on the chosen {@link TiledKernels}. */
    private void tiledLaunch(boolean forward, ClBuffer first, ClBuffer second, ClBuffer third, int n, int h, int w, int c) {
        if (tiledKernels == TiledKernels.CHANNEL_GRID) channelGridLaunch(forward, first, second, third, n, h, w, c);
        else pixelLaunch(forward, first, second, third, n, h, w, c);
    }

    /** The per-pixel kernels, built for this channel count and window, over {OW, N*OH} with one image per work-group. */
    private void pixelLaunch(boolean forward, ClBuffer first, ClBuffer second, ClBuffer third, int n, int h, int w, int c) {
        KernelLauncher px = pixelKernels.computeIfAbsent(c, channels -> new KernelLauncher(kernels.context(), new ProgramSpec("pool.cl",
                "-DPOOL_C=" + channels + " -DPOOL_KH=" + window.kernelH() + " -DPOOL_KW=" + window.kernelW())));
        int ow = window.outW(w), oh = window.outH(h);
        ClKernel k = px.kernel(forward ? "maxpool_nhwc_fwd_px" : "maxpool_nhwc_bwd_px").arg(0, first).arg(1, second).arg(2, third);
        k.arg(3, w).arg(4, ow);
        if (forward) k.arg(5, relu ? 1 : 0);
        long[] grid = {ow, (long) n * oh};
        k.launch(px.queue(), grid, pixelGroup(grid, oh, kernels.context().device().maxWorkGroupSize()));
    }

    /** One image's output rows per work-group of the per-pixel kernels, whatever the batch's rows. */
    static long[] pixelGroup(long[] grid, int rowsPerImage, long maxGroup) {
        return KernelLauncher.shapeLocal(grid, new long[] {grid[0], rowsPerImage}, maxGroup);
    }

    /** The kernels over (C, OW, N*OH): (x, y, argmax) forward (with the relu flag), (dy, argmax, dx) backward. */
    private void channelGridLaunch(boolean forward, ClBuffer first, ClBuffer second, ClBuffer third, int n, int h, int w, int c) {
        int ow = window.outW(w);
        ClKernel k = kernels.kernel(forward ? "maxpool_nhwc_fwd_tiled" : "maxpool_nhwc_bwd_tiled").arg(0, first).arg(1, second).arg(2, third);
        k.arg(3, w).arg(4, c).arg(5, ow).arg(6, window.kernelH()).arg(7, window.kernelW());
        if (forward) k.arg(8, relu ? 1 : 0);
        long[] grid = {c, ow, (long) n * window.outH(h)};
        k.launch(kernels.queue(), grid, tiledGroup(grid, window.outH(h), kernels.context().device().maxWorkGroupSize()));
    }

    /** One image's rows per work-group ({@code grid[0]}, {@code grid[1]}, rows of one image), so the compiled form does not follow the rows of the batch. */
    static long[] tiledGroup(long[] grid, int rowsPerImage, long maxGroup) {
        return KernelLauncher.shapeLocal(grid, new long[] {grid[0], grid[1], rowsPerImage}, maxGroup);
    }

    /**
     * The float16 max-pool kernels (C % 16 == 0) over {C/16, columns, n * rowsPerImage}: (x, y, argmax) forward
     * over the output (with the relu flag), (dy, argmax, dx) backward over the input; one image per work-group.
     */
    private void vectorLaunch(String name, ClBuffer first, ClBuffer second, ClBuffer third, int h, int w, int c, int columns, int n, int rowsPerImage) {
        ClKernel k = kernels.kernel(name).arg(0, first).arg(1, second).arg(2, third);
        int a = geometry(k, 3, h, w, c);
        if (name.contains("fwd")) k.arg(a, relu ? 1 : 0);
        long[] grid = {c / 16, columns, (long) n * rowsPerImage};
        k.launch(kernels.queue(), grid, tiledGroup(grid, rowsPerImage, kernels.context().device().maxWorkGroupSize()));
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
        pixelKernels.values().forEach(KernelLauncher::close);
        pixelKernels.clear();
    }
}
