package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Trains a network on one device: per step it gathers a batch from the device-resident dataset,
 * runs forward, loss, backward and the optimiser, all enqueued without waiting. The host reads
 * the running loss every {@code checkEvery} steps (progress, NaN check) and at the epoch's end.
 * Position (epoch, step) plus the seed fully determine what comes next, so a restored trainer
 * continues exactly.
 */
public final class Trainer implements AutoCloseable {
    private final ClContext context;
    private final TrainSettings settings;
    private final Network network;
    private final Optimizer optimizer;
    private final LossStats stats;
    private final ClBuffer labels;
    private int epoch;
    private long step;
    private double syncSeconds;

    public Trainer(ClContext context, ModelSpec model, TrainSettings settings) {
        this(context, model, settings, 0);
    }

    /** A trainer whose network keeps its first {@code frozenLayers} layers fixed (see {@link Network#freeze}). */
    public Trainer(ClContext context, ModelSpec model, TrainSettings settings, int frozenLayers) {
        this.context = context;
        this.settings = settings;
        this.network = new Network(context, model, settings.batch(), settings.seed());
        network.freeze(frozenLayers);
        this.optimizer = new Optimizer(context, settings.optimizer(), network.trainable());
        this.stats = new LossStats(context, settings.batch(), model.output().size());
        this.labels = context.buffer((long) settings.batch() * Integer.BYTES);
    }

    public Network network() {
        return network;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public TrainSettings settings() {
        return settings;
    }

    /** The next epoch to train (0-based). */
    public int epoch() {
        return epoch;
    }

    /** The device buffer of the current batch's labels (int32[batch]), for callers that gather batches themselves. */
    public ClBuffer labelsBuffer() {
        return labels;
    }

    /** Steps taken so far over the whole run. */
    public long step() {
        return step;
    }

    /** Moves to a saved position (checkpoint restore); parameters and optimiser state are set apart. */
    public void setPosition(int epoch, long step) {
        this.epoch = epoch;
        this.step = step;
        optimizer.setSteps(step);
    }

    /** Seconds the host spent blocked on reads of the running loss (waiting for the device). */
    public double syncSeconds() {
        return syncSeconds;
    }

    public long stepsPerEpoch(int count) {
        return count / settings.batch();
    }

    /**
     * Trains one epoch; {@code progress} receives images done after each enqueued step. Returns
     * null when {@code stop} became true (the partial epoch is not counted; resume replays it).
     */
    public EpochStats trainEpoch(BatchSource train, LongConsumer progress, BooleanSupplier stop) {
        int batch = settings.batch();
        if (train.count() < batch) throw new IllegalArgumentException("batch " + batch + " is larger than the " + train.count() + " training images");
        long steps = stepsPerEpoch(train.count());
        long total = steps * settings.epochs();
        long t0 = System.nanoTime();
        train.setEpoch(epoch);
        train.setOrder(EpochOrder.of(settings.seed(), epoch, train.count()));
        stats.reset();
        double lr = 0;
        for (int s = 0; s < steps; s++) {
            if (stop.getAsBoolean()) return null;
            lr = settings.schedule().rate(settings.optimizer().lr(), step, steps, total);
            train.gather(s * batch, batch, batch, network.input(), labels);
            network.forward(true, step);
            stats.lossAndGradient(network.logits(), labels, network.logitsGradient(), step);
            network.backward(step);
            optimizer.step(lr);
            step++;
            progress.accept(batch);
            if ((s + 1) % settings.checkEvery() == 0) check();
        }
        LossStats.Totals t = check();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new EpochStats(epoch++, t.loss(), t.accuracy(), lr, seconds, steps * batch);
    }

    private LossStats.Totals check() {
        long t0 = System.nanoTime();
        LossStats.Totals t = stats.read();
        syncSeconds += (System.nanoTime() - t0) / 1e9;
        TrainingDivergedException.throwIfDiverged("training loss", t.firstBadStep(), t.loss(), step, epoch, network,
                "lower the learning rate or check the input normalisation");
        return t;
    }

    /** Loss, accuracy and confusion over {@code data} in evaluation mode (dropout off, running BN stats). */
    public Evaluation evaluate(BatchSource data) {
        return Evaluator.evaluate(network, data, labels, step);
    }

    @Override
    public void close() {
        network.close();
        optimizer.close();
        stats.close();
        labels.close();
    }
}
