package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Add;
import dev.clpipe.nn.ops.Concat;
import java.util.ArrayList;
import java.util.List;

/**
 * Inception-style concatenation on NHWC activations: each branch runs from the same input and is
 * copied into its channel range of the output ({@code concat_channels} of
 * {@code opencl/elementwise.cl} with one "sample" per pixel). Backward splits dy per branch, runs
 * each branch backward and sums the branches' input gradients.
 */
final class ConcatLayer implements Layer {
    private final LayerSpec.Concat spec;
    private final List<Chain> branches = new ArrayList<>();
    private final List<ClBuffer> branchGradients = new ArrayList<>();
    private final int[] channels;
    private final int pixels;
    private final int total;
    private final int inputCount;
    private final Concat concat;
    private final Add add;
    private final ClContext context;

    ConcatLayer(ClContext context, LayerSpec.Concat spec, Shape in, Shape out, int batch, BranchFactory factory) {
        this.spec = spec;
        this.concat = new Concat(context);
        this.add = new Add(context);
        this.context = context;
        this.channels = new int[spec.branches().size()];
        this.pixels = batch * out.height() * out.width();
        this.total = out.channels();
        this.inputCount = batch * in.size();
        for (int b = 0; b < channels.length; b++) {
            channels[b] = spec.branchOutput(b, in).channels();
            branches.add(new Chain(context, spec.branches().get(b), in, batch, factory.forBranch(b)));
            branchGradients.add(context.buffer((long) pixels * channels[b] * Float.BYTES));
        }
    }

    /** Builds the layers of branch {@code b}. */
    interface BranchFactory {
        Chain.Factory forBranch(int b);
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>();
        for (Chain c : branches) all.addAll(c.params());
        return all;
    }

    @Override
    public void forward(ClBuffer x, ClBuffer y, boolean training, long step) {
        int offset = 0;
        for (int b = 0; b < channels.length; b++) {
            concat.concatPart(branches.get(b).forward(x, training, step), y, channels[b], total, offset, pixels);
            offset += channels[b];
        }
    }

    @Override
    public void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, long step) {
        int offset = 0;
        for (int b = 0; b < channels.length; b++) {
            concat.splitPart(dy, branchGradients.get(b), channels[b], total, offset, pixels);
            offset += channels[b];
            ClBuffer branchDx = branches.get(b).backward(x, branchGradients.get(b), step);
            if (dx == null) continue;
            if (b == 0) dx.copyFrom(context.queue(), branchDx);
            else add.accumulate(dx, branchDx, inputCount);
        }
    }

    @Override
    public void close() {
        branches.forEach(Chain::close);
        branchGradients.forEach(ClBuffer::close);
        concat.close();
        add.close();
    }
}
