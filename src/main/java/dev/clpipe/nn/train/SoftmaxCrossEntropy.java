package dev.clpipe.nn.train;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;

/**
 * Softmax cross-entropy of the logits ({@code softmax_xent_fwd} of {@code opencl/loss.cl}: the
 * mean loss's gradient into the network's logits gradient) plus running sums of loss, hits and
 * rows kept on the device ({@code batch_stats} of {@code opencl/loss.cl}). The host reads the
 * sums only when it asks, so a step costs no sync. The classifier's {@link Objective}: targets are
 * int32 class labels, -1 for padding rows (ignored).
 */
public final class SoftmaxCrossEntropy implements Objective<SoftmaxCrossEntropy.Totals> {
    /** What {@link #reset} writes: zero loss, hits and rows, no bad step (-1); never changed, so the write need not wait. */
    private static final java.nio.ByteBuffer EMPTY_SUMS = emptySums();

    private final ClContext context;
    private final dev.clpipe.nn.ops.SoftmaxCrossEntropy loss;
    private final ClBuffer rowLoss;
    private final ClBuffer sums;
    private final ClBuffer labels;
    private final int batch;
    private final int classes;

    /** Running sums: mean loss, accuracy, rows counted, and the first non-finite step (-1 if none). */
    public record Totals(double loss, double accuracy, long rows, long firstBadStep) implements Objective.Totals {}

    public SoftmaxCrossEntropy(ClContext context, int batch, int classes) {
        this.context = context;
        this.loss = new dev.clpipe.nn.ops.SoftmaxCrossEntropy(context);
        this.rowLoss = context.buffer((long) batch * Float.BYTES);
        this.sums = context.buffer(4 * Float.BYTES);
        this.labels = context.buffer((long) batch * Integer.BYTES);
        this.batch = batch;
        this.classes = classes;
        reset();
    }

    @Override
    public ClBuffer target() {
        return labels;
    }

    @Override
    public void lossAndGradient(ClBuffer logits, ClBuffer dLogits, long step) {
        lossAndGradient(logits, labels, dLogits, step);
    }

    @Override
    public String lossName() {
        return "training loss";
    }

    @Override
    public String hint() {
        return "lower the learning rate or check the input normalisation";
    }

    /** Enqueues the zeroing of the running sums without waiting (a replica resets them every step). */
    @Override
    public void reset() {
        sums.writeAsync(context.queue(), EMPTY_SUMS, 4 * Float.BYTES).close();
    }

    private static java.nio.ByteBuffer emptySums() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(4 * Float.BYTES).order(java.nio.ByteOrder.nativeOrder());
        b.asFloatBuffer().put(new float[] {0f, 0f, 0f, -1f});
        return b;
    }

    /** dLogits = gradient of the mean loss; adds the batch to the running sums. */
    public void lossAndGradient(ClBuffer logits, ClBuffer labels, ClBuffer dLogits, long step) {
        loss.rowLosses(logits, labels, dLogits, rowLoss, batch, classes);
        loss.batchStats(logits, labels, rowLoss, sums, batch, classes, step);
    }

    /** Blocking read of the running sums (a device sync). */
    @Override
    public Totals read() {
        float[] s = new float[4];
        sums.read(context.queue(), s);
        return totals(s);
    }

    /** The device buffer {@link #read()} reads: loss sum, hits, rows, first bad step. */
    ClBuffer sums() {
        return sums;
    }

    /** Totals from the four floats of {@link #sums()}. */
    static Totals totals(float[] s) {
        long rows = (long) s[2];
        return new Totals(rows > 0 ? s[0] / rows : 0, rows > 0 ? s[1] / rows : 0, rows, (long) s[3]);
    }

    @Override
    public void close() {
        loss.close();
        rowLoss.close();
        sums.close();
        labels.close();
    }
}
