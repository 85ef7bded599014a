package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.BatchNormNhwc;
import java.util.List;

/**
 * Batch normalisation over the channels of NHWC activations ({@link BatchNormNhwc}) with its
 * parameters. Training updates the running mean and variance (PyTorch semantics), which
 * evaluation uses.
 */
final class BatchNormLayer implements Layer {
    private final LayerSpec.BatchNorm spec;
    private final BatchNormNhwc op;
    private final Param gamma;
    private final Param beta;
    private final Param runningMean;
    private final Param runningVar;

    BatchNormLayer(ClContext context, LayerSpec.BatchNorm spec, Shape in, int batch) {
        this.spec = spec;
        int channels = in.channels();
        this.op = new BatchNormNhwc(context, batch * in.height() * in.width(), channels);
        int[] shape = {channels};
        this.gamma = new Param(context, spec.name() + ".weight", shape, channels, Param.Fill.ONES, true);
        this.beta = new Param(context, spec.name() + ".bias", shape, channels, Param.Fill.ZEROS, true);
        this.runningMean = new Param(context, spec.name() + ".running_mean", shape, channels, Param.Fill.ZEROS, false);
        this.runningVar = new Param(context, spec.name() + ".running_var", shape, channels, Param.Fill.ONES, false);
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
            op.forwardTraining(x, y, gamma.value(), beta.value(), runningMean.value(), runningVar.value(), spec.eps(), spec.momentum());
        } else {
            op.forwardRunning(x, y, gamma.value(), beta.value(), runningMean.value(), runningVar.value(), spec.eps());
        }
    }

    @Override
    public void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, long step) {
        op.backward(x, dy, gamma.value(), gamma.grad(), beta.grad(), dx);
    }

    @Override
    public void close() {
        op.close();
        for (Param p : params()) p.close();
    }
}
