package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.KernelLauncher;

/**
 * The kernels of {@code opencl/style.cl} on caller-owned buffers: Gram matrices and their
 * gradient (run through {@code nn.ops.Gemm}; style.cl's direct versions are the simple variant
 * it is checked against), squared-difference reductions, and the pixel-space
 * normalisation and clamp.
 * Launches enqueue and return, except {@link #diffSquares}, which reads its partial sums back.
 * Twin: {@code style.StyleReference}; test: {@code style.StyleOpsTest}. Not thread-safe (kernel objects hold arguments).
 */
public final class StyleOps implements AutoCloseable {
    /** Output rows per work-item of the Gram kernels (style.cl ROWS). */
    static final int ROWS = 8;
    static final int REDUCE_LOCAL = 64;
    /** Enough work-groups to keep every core busy; partial sums stay few. */
    private static final int REDUCE_GROUPS = 64;

    private final ClContext context;
    private final KernelLauncher kernels;
    private final Gemm gemm;
    private ClBuffer partials;

    public StyleOps(ClContext context) {
        this.context = context;
        this.kernels = new KernelLauncher(context, "style.cl");
        this.gemm = Gemm.create(context);
    }

    public ClContext context() {
        return context;
    }

    /** The GEMM variant the Gram matrices run through, e.g. {@code RegisterBlocked(RM=14,NV=2)}. */
    public String describeGemm() {
        return gemm.describe();
    }

    /** g[C][C] = F^T F for the feature map f of p pixels x c channels (NHWC, batch 1), through the tuned GEMM. */
    public void gram(ClBuffer f, ClBuffer g, int p, int c) {
        gemm.run(GemmShape.of(c, c, p, true, false), f, f, g);
    }

    /** df = coef * f . d (+ df when {@code accumulate}); d is [C][C], symmetric. Through the tuned GEMM. */
    public void gramBackward(ClBuffer f, ClBuffer d, ClBuffer df, int p, int c, float coef, boolean accumulate) {
        gemm.run(GemmShape.of(p, c, c, false, false).scaled(coef, accumulate ? 1f : 0f), f, d, df);
    }

    /**
     * {@link #gram} by style.cl's direct kernel: the simplest device version, which the GEMM path
     * is tested against; 15-80x slower on PoCL CPUs (bench style), so not used for the transfer.
     */
    public void gramDirect(ClBuffer f, ClBuffer g, int p, int c) {
        kernels.launchGrid(kernel("gram").arg(0, f).arg(1, g).arg(2, p).arg(3, c), c, (c + ROWS - 1) / ROWS);
    }

    /** {@link #gramBackward} by style.cl's direct kernel (tests, bench). */
    public void gramBackwardDirect(ClBuffer f, ClBuffer d, ClBuffer df, int p, int c, float coef, boolean accumulate) {
        kernels.launchGrid(kernel("gram_backward").arg(0, f).arg(1, d).arg(2, df).arg(3, p).arg(4, c).arg(5, coef)
                .arg(6, accumulate ? 1 : 0), c, (p + ROWS - 1) / ROWS);
    }

    /** d = scale * (a - b) over n floats; returns sum of (a - b)^2 (blocking: reads the per-group partial sums). */
    public double diffSquares(ClBuffer a, ClBuffer b, ClBuffer d, float scale, int n) {
        int groups = Math.max(1, Math.min(REDUCE_GROUPS, (n + REDUCE_LOCAL - 1) / REDUCE_LOCAL));
        if (partials == null) partials = context.buffer((long) REDUCE_GROUPS * Float.BYTES);
        kernels.launchGroups(kernel("diff_squares").arg(0, a).arg(1, b).arg(2, d).arg(3, partials).arg(4, scale).arg(5, n),
                groups, REDUCE_LOCAL);
        float[] sums = new float[REDUCE_GROUPS];
        partials.read(context.queue(), sums);
        double total = 0;
        for (int i = 0; i < groups; i++) total += sums[i];
        return total;
    }

    /** x = g * scale + shift[c] for interleaved RGB (n a multiple of 3). */
    public void pixelsToInput(ClBuffer g, ClBuffer x, float scale, float[] shift, int n) {
        launch(kernel("pixels_to_input").arg(0, g).arg(1, x).arg(2, scale).arg(3, shift[0]).arg(4, shift[1]).arg(5, shift[2]).arg(6, n), n);
    }

    public void inputToPixelsGrad(ClBuffer dx, ClBuffer dg, float scale, int n) {
        launch(kernel("input_to_pixels_grad").arg(0, dx).arg(1, dg).arg(2, scale).arg(3, n), n);
    }

    public void clampPixels(ClBuffer g, float lo, float hi, int n) {
        launch(kernel("clamp_pixels").arg(0, g).arg(1, lo).arg(2, hi).arg(3, n), n);
    }

    private ClKernel kernel(String name) {
        return kernels.kernel(name);
    }

    private void launch(ClKernel kernel, int n) {
        kernels.launch(kernel, n);
    }

    @Override
    public void close() {
        kernels.close();
        gemm.close();
        if (partials != null) partials.close();
    }
}
