package dev.clpipe.nn.train;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.TripletLoss;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Triplet loss with semi-hard mining on the L2-normalised outputs ({@link TripletLoss}) as a
 * training {@link Objective}: targets are int32 class labels of P x K batches. It also keeps the
 * loss curve at every check: {step, mean batch loss since the previous check}, for plots (not
 * saved in checkpoints: a resumed run's curve starts there).
 */
public final class TripletObjective implements Objective<TripletObjective.Totals> {
    /** Mean batch loss and mean fraction of active triplets since the last reset. */
    public record Totals(double loss, double activeFraction, long batches, long firstBadStep) implements Objective.Totals {}

    private final TripletLoss loss;
    private final ClBuffer labels;
    private final List<double[]> curve = new ArrayList<>();
    private double curveLossSum;
    private long curveBatches;

    public TripletObjective(ClContext context, int batch, int dim, double margin) {
        this.loss = new TripletLoss(context, batch, dim, margin);
        this.labels = context.buffer((long) batch * Integer.BYTES);
    }

    /** The loss op itself, for evaluation passes outside the loop (validation loss, normalised embeddings). */
    public TripletLoss loss() {
        return loss;
    }

    @Override
    public ClBuffer target() {
        return labels;
    }

    @Override
    public void lossAndGradient(ClBuffer output, ClBuffer outputGradient, long step) {
        loss.forward(output, labels, step);
        loss.backward(outputGradient);
    }

    @Override
    public void reset() {
        loss.resetTotals();
        curveLossSum = 0;
        curveBatches = 0;
    }

    @Override
    public Totals read() {
        TripletLoss.Totals t = loss.readTotals();
        return new Totals(t.loss(), t.activeFraction(), t.batches(), t.firstBadStep());
    }

    @Override
    public void checked(Totals t, long step) {
        // the totals are sums since the epoch began: the difference is the mean since the last read
        double sum = t.loss() * t.batches();
        if (t.batches() > curveBatches) curve.add(new double[] {step, (sum - curveLossSum) / (t.batches() - curveBatches)});
        curveLossSum = sum;
        curveBatches = t.batches();
    }

    /** The training loss at every check: {step, mean batch loss since the previous check}. */
    public List<double[]> curve() {
        return Collections.unmodifiableList(curve);
    }

    @Override
    public String lossName() {
        return "triplet loss";
    }

    @Override
    public String hint() {
        return "lower the learning rate or check the input normalisation";
    }

    @Override
    public void close() {
        loss.close();
        labels.close();
    }
}
