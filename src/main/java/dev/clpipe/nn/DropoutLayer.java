package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Dropout;

/**
 * Inverted dropout ({@code opencl/dropout.cl}). The mask is a pure function of (seed, step,
 * layer index, position in the batch), so backward recomputes it, a resumed run draws the same
 * masks and a batch split over devices draws the masks of the whole batch ({@link RowOffset}).
 */
final class DropoutLayer implements Layer {
    private final LayerSpec.Dropout spec;
    private final DeviceKernels kernels;
    private final int count;
    private final long seed;
    private final int index;
    private final int perRow;
    private final RowOffset rowOffset;

    DropoutLayer(ClContext context, LayerSpec.Dropout spec, Shape in, int batch, long seed, int index, RowOffset rowOffset) {
        this.spec = spec;
        this.perRow = in.size();
        this.rowOffset = rowOffset;
        this.kernels = new DeviceKernels(context, "dropout.cl");
        this.count = batch * in.size();
        this.seed = seed;
        this.index = index;
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public void forward(ClBuffer x, ClBuffer y, boolean training, long step) {
        if (training) apply(x, y, step);
        else y.copyFrom(kernels.context().queue(), x);
    }

    @Override
    public void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, long step) {
        if (dx != null) apply(dy, dx, step);
    }

    private void apply(ClBuffer in, ClBuffer out, long step) {
        long stream = step << 16 | index;
        int offset = rowOffset.rows() * perRow;
        if (offset != 0) { // a slice of a split batch: the mask of those rows of the whole batch
            kernels.launch(kernels.kernel("dropout_apply_at").arg(0, in).arg(1, out).arg(2, spec.p()).arg(3, Dropout.scale(spec.p()))
                    .arg(4, (int) seed).arg(5, (int) (seed >>> 32)).arg(6, (int) stream).arg(7, (int) (stream >>> 32)).arg(8, offset)
                    .arg(9, count), count);
            return;
        }
        kernels.launch(kernels.kernel("dropout_apply").arg(0, in).arg(1, out).arg(2, spec.p()).arg(3, Dropout.scale(spec.p()))
                .arg(4, (int) seed).arg(5, (int) (seed >>> 32)).arg(6, (int) stream).arg(7, (int) (stream >>> 32)).arg(8, count),
                (count + 3) / 4);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
