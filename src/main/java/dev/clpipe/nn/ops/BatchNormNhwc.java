package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;

/**
 * Batch normalisation over the channels of NHWC activations on caller-owned buffers, PyTorch
 * BatchNorm2d semantics ({@code opencl/batchnorm.cl}): chunked per-channel reductions
 * ({@code bn_nhwc_*}) for the statistics and dgamma/dbeta, and the element-wise kernels on the
 * view [rows, C, 1, 1]. Sized once for {@code rows} = N*H*W pixels of {@code channels}; it keeps
 * the batch mean and 1/sqrt(var + eps) between forward and backward. Gamma, beta and the running
 * statistics belong to the caller. Twin: {@code nn/LayerTwinTest} via {@code ReferenceNetwork}.
 * Work-group sizes follow the channels, never the rows (which a data-parallel re-split changes):
 * PoCL compiles a work-group function per local size, seconds each ({@code ResNetRowFreeGroupsTest}).
 */
public final class BatchNormNhwc implements AutoCloseable {
    /** Rows per chunk of the reductions: enough chunks to keep every core busy, short sums. */
    private static final int ROWS_PER_CHUNK = 256;
    /** Work-items per group of the chunk sums: (channel, chunk) items, a few hundred per group. */
    private static final int CHUNK_GROUP_ITEMS = 256;
    /** Work-items per group of the element-wise kernels: (channel, row) items, a few thousand per group. */
    private static final int ELEMENT_GROUP_ITEMS = 2048;

    private final KernelLauncher kernels;
    private final int rows;
    private final int channels;
    private final int chunks;
    private final ClBuffer partial;
    private final ClBuffer mean;
    private final ClBuffer invStd;
    private final long[] chunkGroup;
    private final long[] elementGroup;

    public BatchNormNhwc(ClContext context, int rows, int channels) {
        this.kernels = new KernelLauncher(context, "batchnorm.cl");
        this.rows = rows;
        this.channels = channels;
        this.chunks = (rows + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
        this.partial = context.buffer(2L * chunks * channels * Float.BYTES);
        this.mean = context.buffer((long) channels * Float.BYTES);
        this.invStd = context.buffer((long) channels * Float.BYTES);
        long maxGroup = context.device().maxWorkGroupSize();
        this.chunkGroup = chunkGroup(channels, maxGroup);
        this.elementGroup = elementGroup(channels, maxGroup);
    }

    /**
     * bn_nhwc_sum / bn_nhwc_bwd_sum groups over (channel, chunk): every channel (or a divisor of them)
     * of a fixed number of chunks; the grid is rounded up to whole groups and the kernels skip chunks past the rows.
     */
    static long[] chunkGroup(int channels, long maxGroup) {
        long[] wanted = {channels, Math.max(1, CHUNK_GROUP_ITEMS / channels)};
        return KernelLauncher.shapeLocal(wanted, wanted, maxGroup);
    }

    /** bn_apply / bn_bwd_apply groups over (1, channel, row) of the [rows, C, 1, 1] view: the grid is rounded up, the kernels guard. */
    static long[] elementGroup(int channels, long maxGroup) {
        long[] wanted = {1, channels, Math.max(1, ELEMENT_GROUP_ITEMS / channels)};
        return KernelLauncher.shapeLocal(wanted, wanted, maxGroup);
    }

    /** y = gamma (x - mean) invStd + beta with batch statistics; updates the running statistics in place. */
    public void forwardTraining(ClBuffer x, ClBuffer y, ClBuffer gamma, ClBuffer beta, ClBuffer runningMean, ClBuffer runningVar,
            float eps, float momentum) {
        sum(x, false);
        kernels.launch(kernels.kernel("bn_nhwc_finish_mean").arg(0, partial).arg(1, mean).arg(2, chunks).arg(3, channels)
                .arg(4, rows), channels);
        sum(x, true);
        kernels.launch(kernels.kernel("bn_nhwc_finish_var").arg(0, partial).arg(1, mean).arg(2, invStd)
                .arg(3, runningMean).arg(4, runningVar).arg(5, chunks).arg(6, channels).arg(7, rows)
                .arg(8, eps).arg(9, momentum), channels);
        kernels.launchRounded(kernels.kernel("bn_apply").arg(0, x).arg(1, y).arg(2, mean).arg(3, invStd).arg(4, gamma)
                .arg(5, beta).arg(6, channels).arg(7, 1).arg(8, rows), new long[] {1, channels, rows}, elementGroup);
    }

    /** Evaluation mode: normalises with the running statistics. */
    public void forwardRunning(ClBuffer x, ClBuffer y, ClBuffer gamma, ClBuffer beta, ClBuffer runningMean, ClBuffer runningVar, float eps) {
        kernels.launchRounded(kernels.kernel("bn_apply_running").arg(0, x).arg(1, y).arg(2, runningMean).arg(3, runningVar)
                .arg(4, gamma).arg(5, beta).arg(6, eps).arg(7, channels).arg(8, 1).arg(9, rows), new long[] {1, channels, rows}, elementGroup);
    }

    /**
     * Writes dgamma and dbeta for the last training forward, and dx unless it is null (a first
     * layer needs no input gradient).
     */
    public void backward(ClBuffer x, ClBuffer dy, ClBuffer gamma, ClBuffer dGamma, ClBuffer dBeta, ClBuffer dx) {
        kernels.launchRounded(kernels.kernel("bn_nhwc_bwd_sum").arg(0, x).arg(1, dy).arg(2, mean).arg(3, invStd).arg(4, partial)
                .arg(5, rows).arg(6, channels).arg(7, ROWS_PER_CHUNK).arg(8, chunks), new long[] {channels, chunks}, chunkGroup);
        kernels.launch(kernels.kernel("bn_nhwc_finish_bwd").arg(0, partial).arg(1, dGamma).arg(2, dBeta)
                .arg(3, chunks).arg(4, channels), channels);
        if (dx == null) return;
        kernels.launchRounded(kernels.kernel("bn_bwd_apply").arg(0, x).arg(1, dy).arg(2, mean).arg(3, invStd).arg(4, gamma)
                .arg(5, dGamma).arg(6, dBeta).arg(7, dx).arg(8, rows).arg(9, channels).arg(10, 1).arg(11, rows),
                new long[] {1, channels, rows}, elementGroup);
    }

    /** Per-chunk sums of x (mean pass) or of (x - mean)^2 (variance pass) into {@code partial}. */
    private void sum(ClBuffer x, boolean squares) {
        kernels.launchRounded(kernels.kernel("bn_nhwc_sum").arg(0, x).arg(1, mean).arg(2, partial).arg(3, rows).arg(4, channels)
                .arg(5, ROWS_PER_CHUNK).arg(6, squares ? 1 : 0), new long[] {channels, chunks}, chunkGroup);
    }

    @Override
    public void close() {
        kernels.close();
        partial.close();
        mean.close();
        invStd.close();
    }
}
