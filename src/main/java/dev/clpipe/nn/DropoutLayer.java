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
    private final Dropout op;
    private final ClContext context;
    private final int count;
    private final long seed;
    private final int index;
    private final int perRow;
    private final RowOffset rowOffset;

    DropoutLayer(ClContext context, LayerSpec.Dropout spec, Shape in, int batch, long seed, int index, RowOffset rowOffset) {
        this.spec = spec;
        this.perRow = in.size();
        this.rowOffset = rowOffset;
        this.op = new Dropout(context, spec.p());
        this.context = context;
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
        else y.copyFrom(context.queue(), x);
    }

    @Override
    public void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, long step) {
        if (dx != null) apply(dy, dx, step);
    }

    private void apply(ClBuffer in, ClBuffer out, long step) {
        long stream = step << 16 | index;
        // a slice of a split batch (offset != 0) draws the mask of those rows of the whole batch
        op.apply(in, out, seed, stream, rowOffset.rows() * perRow, count);
    }

    @Override
    public void close() {
        op.close();
    }
}
