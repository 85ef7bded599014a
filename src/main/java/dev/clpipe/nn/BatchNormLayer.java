package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import java.util.List;

/**
 * Batch normalisation over the channels of NHWC activations, using the NCHW kernels of
 * {@code opencl/batchnorm.cl} on the view [N*H*W, C, 1, 1] (the same statistics). Training
 * updates the running mean and variance, which evaluation uses.
 */
final class BatchNormLayer implements Layer {
    /** Work-group size of batchnorm.cl's per-channel reductions (its LOCAL_SIZE default). */
    private static final int REDUCE_LOCAL = 128;

    private final LayerSpec.BatchNorm spec;
    private final DeviceKernels kernels;
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
        this.rows = batch * in.height() * in.width();
        this.channels = in.channels();
        int[] shape = {channels};
        this.gamma = new Param(context, spec.name() + ".weight", shape, channels, Param.Fill.ONES, true);
        this.beta = new Param(context, spec.name() + ".bias", shape, channels, Param.Fill.ZEROS, true);
        this.runningMean = new Param(context, spec.name() + ".running_mean", shape, channels, Param.Fill.ZEROS, false);
        this.runningVar = new Param(context, spec.name() + ".running_var", shape, channels, Param.Fill.ONES, false);
        this.mean = context.buffer((long) channels * Float.BYTES);
        this.invStd = context.buffer((long) channels * Float.BYTES);
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
            kernels.launchGroups(kernels.kernel("bn_stats").arg(0, x).arg(1, mean).arg(2, invStd).arg(3, runningMean.value())
                    .arg(4, runningVar.value()).arg(5, rows).arg(6, channels).arg(7, 1).arg(8, spec.eps()).arg(9, spec.momentum()),
                    channels, REDUCE_LOCAL);
            kernels.launchGrid(kernels.kernel("bn_apply").arg(0, x).arg(1, y).arg(2, mean).arg(3, invStd).arg(4, gamma.value())
                    .arg(5, beta.value()).arg(6, channels).arg(7, 1).arg(8, rows), 1, channels, rows);
        } else {
            kernels.launchGrid(kernels.kernel("bn_apply_running").arg(0, x).arg(1, y).arg(2, runningMean.value()).arg(3, runningVar.value())
                    .arg(4, gamma.value()).arg(5, beta.value()).arg(6, spec.eps()).arg(7, channels).arg(8, 1).arg(9, rows), 1, channels, rows);
        }
    }

    @Override
    public void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, long step) {
        kernels.launchGroups(kernels.kernel("bn_bwd_reduce").arg(0, x).arg(1, dy).arg(2, mean).arg(3, invStd)
                .arg(4, gamma.grad()).arg(5, beta.grad()).arg(6, rows).arg(7, channels).arg(8, 1), channels, REDUCE_LOCAL);
        if (dx == null) return;
        kernels.launchGrid(kernels.kernel("bn_bwd_apply").arg(0, x).arg(1, dy).arg(2, mean).arg(3, invStd).arg(4, gamma.value())
                .arg(5, gamma.grad()).arg(6, beta.grad()).arg(7, dx).arg(8, rows).arg(9, channels).arg(10, 1).arg(11, rows), 1, channels, rows);
    }

    @Override
    public void close() {
        kernels.close();
        for (Param p : params()) p.close();
        mean.close();
        invStd.close();
    }
}
