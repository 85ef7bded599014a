package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import java.util.List;

/**
 * Batch normalisation over the channels of NHWC activations: chunked per-channel reductions of
 * {@code opencl/batchnorm.cl}'s bn_nhwc_* kernels for the statistics and dgamma/dbeta, and the element-wise
 * kernels of {@code opencl/batchnorm.cl} on the view [N*H*W, C, 1, 1]. Training updates the
 * running mean and variance (PyTorch semantics), which evaluation uses.
 */
final class BatchNormLayer implements Layer {
    /** Rows per chunk of the NHWC reductions: enough chunks to keep every core busy, short sums. */
    private static final int ROWS_PER_CHUNK = 256;

    private final LayerSpec.BatchNorm spec;
    private final DeviceKernels kernels;
    private final DeviceKernels reductions;
    private final ClBuffer partial;
    private final int chunks;
    private final int rows;
    private final int channels;
    private final Param gamma;
    private final Param beta;
    private final Param runningMean;
    private final Param runningVar;
    private final ClBuffer mean;
    private final ClBuffer invStd;

    BatchNormLayer(ClContext context, LayerSpec.BatchNorm spec, Shape in, int batch) {
        this.spec = spec;
        this.kernels = new DeviceKernels(context, "batchnorm.cl");
        this.reductions = new DeviceKernels(context, "batchnorm.cl");
        this.rows = batch * in.height() * in.width();
        this.channels = in.channels();
        int[] shape = {channels};
        this.gamma = new Param(context, spec.name() + ".weight", shape, channels, Param.Fill.ONES, true);
        this.beta = new Param(context, spec.name() + ".bias", shape, channels, Param.Fill.ZEROS, true);
        this.runningMean = new Param(context, spec.name() + ".running_mean", shape, channels, Param.Fill.ZEROS, false);
        this.runningVar = new Param(context, spec.name() + ".running_var", shape, channels, Param.Fill.ONES, false);
        this.mean = context.buffer((long) channels * Float.BYTES);
        this.invStd = context.buffer((long) channels * Float.BYTES);
        this.chunks = (rows + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
        this.partial = context.buffer(2L * chunks * channels * Float.BYTES);
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public List<Param> params() {
        return List.of(gamma, beta, runningMean, runningVar);
    }

    @Override
    public void forward(ClBuffer x, ClBuffer y, boolean training, long step) {
        if (training) {
            sum(x, false);
            reductions.launch(reductions.kernel("bn_nhwc_finish_mean").arg(0, partial).arg(1, mean).arg(2, chunks).arg(3, channels)
                    .arg(4, rows), channels);
            sum(x, true);
            reductions.launch(reductions.kernel("bn_nhwc_finish_var").arg(0, partial).arg(1, mean).arg(2, invStd)
                    .arg(3, runningMean.value()).arg(4, runningVar.value()).arg(5, chunks).arg(6, channels).arg(7, rows)
                    .arg(8, spec.eps()).arg(9, spec.momentum()), channels);
            kernels.launchGrid(kernels.kernel("bn_apply").arg(0, x).arg(1, y).arg(2, mean).arg(3, invStd).arg(4, gamma.value())
                    .arg(5, beta.value()).arg(6, channels).arg(7, 1).arg(8, rows), 1, channels, rows);
        } else {
            kernels.launchGrid(kernels.kernel("bn_apply_running").arg(0, x).arg(1, y).arg(2, runningMean.value()).arg(3, runningVar.value())
                    .arg(4, gamma.value()).arg(5, beta.value()).arg(6, spec.eps()).arg(7, channels).arg(8, 1).arg(9, rows), 1, channels, rows);
        }
    }

    @Override
    public void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, long step) {
        reductions.launchGrid(reductions.kernel("bn_nhwc_bwd_sum").arg(0, x).arg(1, dy).arg(2, mean).arg(3, invStd).arg(4, partial)
                .arg(5, rows).arg(6, channels).arg(7, ROWS_PER_CHUNK).arg(8, chunks), channels, chunks);
        reductions.launch(reductions.kernel("bn_nhwc_finish_bwd").arg(0, partial).arg(1, gamma.grad()).arg(2, beta.grad())
                .arg(3, chunks).arg(4, channels), channels);
        if (dx == null) return;
        kernels.launchGrid(kernels.kernel("bn_bwd_apply").arg(0, x).arg(1, dy).arg(2, mean).arg(3, invStd).arg(4, gamma.value())
                .arg(5, gamma.grad()).arg(6, beta.grad()).arg(7, dx).arg(8, rows).arg(9, channels).arg(10, 1).arg(11, rows), 1, channels, rows);
    }

    /** Per-chunk sums of x (mean pass) or of (x - mean)^2 (variance pass) into {@code partial}. */
    private void sum(ClBuffer x, boolean squares) {
        reductions.launchGrid(reductions.kernel("bn_nhwc_sum").arg(0, x).arg(1, mean).arg(2, partial).arg(3, rows).arg(4, channels)
                .arg(5, ROWS_PER_CHUNK).arg(6, squares ? 1 : 0), channels, chunks);
    }

    @Override
    public void close() {
        kernels.close();
        reductions.close();
        partial.close();
        for (Param p : params()) p.close();
        mean.close();
        invStd.close();
    }
}
