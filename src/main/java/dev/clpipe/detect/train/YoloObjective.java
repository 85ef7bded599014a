package dev.clpipe.detect.train;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.detect.YoloLayout;
import dev.clpipe.detect.YoloLoss;
import dev.clpipe.detect.YoloLossKernel;
import dev.clpipe.nn.train.Objective;

/**
 * The YOLO loss ({@link YoloLossKernel}: loss and head gradient on the device) as a training
 * {@link Objective}: targets are the encoded grid blocks of the batch's scenes.
 */
final class YoloObjective implements Objective<YoloObjective.Totals> {
    /** Mean loss per batch since the last reset. */
    record Totals(double loss, long batches, long firstBadStep) implements Objective.Totals {}

    private final YoloLossKernel loss;
    private final ClBuffer target;

    YoloObjective(ClContext context, YoloLayout layout, YoloLoss.Weights weights, YoloLoss.Objectness objectness, int batch) {
        this.loss = new YoloLossKernel(context, layout, weights, objectness, batch);
        this.target = context.buffer((long) loss.batchSize() * Float.BYTES);
    }

    @Override
    public ClBuffer target() {
        return target;
    }

    @Override
    public void lossAndGradient(ClBuffer output, ClBuffer outputGradient, long step) {
        loss.lossAndGradient(output, target, outputGradient, step);
    }

    @Override
    public void reset() {
        loss.reset();
    }

    @Override
    public Totals read() {
        YoloLossKernel.Totals t = loss.read();
        // a non-finite sum gives a non-finite mean: the loop's divergence check sees the same
        return new Totals(t.meanLoss(), t.batches(), t.firstBadStep());
    }

    @Override
    public String lossName() {
        return "detector loss";
    }

    @Override
    public String hint() {
        return "lower the learning rate";
    }

    @Override
    public void close() {
        loss.close();
        target.close();
    }
}
