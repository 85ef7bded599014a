package dev.clpipe.detect;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.YoloHeadLoss;

/**
 * {@link YoloLoss} on the device ({@link YoloHeadLoss}, {@code opencl/yolo.cl}): one launch writes d(mean loss)/d(raw)
 * into a gradient buffer (the network's head gradient) and the per-slot losses, a second sums
 * them into running totals kept on the device (loss sum, batches, first non-finite step), so a
 * training step needs no host round trip. {@link #read} fetches the totals when asked.
 */
public final class YoloLossKernel implements AutoCloseable {
    /** Loss summed over the batches since {@link #reset}, their count, and the first non-finite step (-1 if none). */
    public record Totals(double lossSum, long batches, long firstBadStep) {
        public double meanLoss() {
            return batches > 0 ? lossSum / batches : 0;
        }
    }

    private final ClContext context;
    private final YoloLayout layout;
    private final YoloLoss.Weights weights;
    private final YoloLoss.Objectness objectness;
    private final int batch;
    private final YoloHeadLoss op;
    private final ClBuffer slotLoss;
    private final ClBuffer totals;

    public YoloLossKernel(ClContext context, YoloLayout layout, YoloLoss.Weights weights, int batch) {
        this(context, layout, weights, YoloLoss.Objectness.SQUARED, batch);
    }

    public YoloLossKernel(ClContext context, YoloLayout layout, YoloLoss.Weights weights, YoloLoss.Objectness objectness, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        this.context = context;
        this.layout = layout;
        this.weights = weights;
        this.objectness = objectness;
        this.batch = batch;
        this.op = new YoloHeadLoss(context);
        this.slotLoss = context.buffer((long) slots() * Float.BYTES);
        this.totals = context.buffer(3 * Float.BYTES);
        reset();
    }

    private int slots() {
        return batch * layout.slots();
    }

    /** Floats of one batch of head outputs (and of targets): batch * layout.size(). */
    public int batchSize() {
        return batch * layout.size();
    }

    /** Zeroes the running totals. */
    public void reset() {
        totals.write(context.queue(), new float[] {0f, 0f, -1f});
    }

    /**
     * Enqueues loss and gradient of the batch in {@code raw} against {@code target} (both
     * {@link #batchSize()} floats); the gradient overwrites {@code gradient}; the loss is added to
     * the totals, and {@code step} is recorded if it is not finite.
     */
    public void lossAndGradient(ClBuffer raw, ClBuffer target, ClBuffer gradient, long step) {
        op.run(raw, target, gradient, slotLoss, totals, slots(), layout.classes(),
                layout.classActivation() == YoloLayout.ClassActivation.SOFTMAX, objectness == YoloLoss.Objectness.BCE,
                new YoloHeadLoss.Weights((float) weights.coord(), (float) weights.obj(), (float) weights.noObj(), (float) weights.cls()),
                batch, step);
    }

    /** Blocking read of the totals (a device sync). */
    public Totals read() {
        float[] t = new float[3];
        totals.read(context.queue(), t);
        return new Totals(t[0], (long) t[1], (long) t[2]);
    }

    @Override
    public void close() {
        op.close();
        slotLoss.close();
        totals.close();
    }
}
