package dev.clpipe.nn.train;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.BatchSource;
import dev.clpipe.nn.Evaluation;
import dev.clpipe.nn.Evaluator;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Optimizer;
import dev.clpipe.nn.TrainSettings;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * A classifier in training on one device: the {@link TrainLoop} with the
 * {@link SoftmaxCrossEntropy} objective over shuffled epochs, plus its evaluation.
 */
public final class Trainer implements AutoCloseable {
    private final SoftmaxCrossEntropy loss;
    private final TrainLoop<SoftmaxCrossEntropy.Totals> loop;

    public Trainer(ClContext context, ModelSpec model, TrainSettings settings) {
        this(context, model, settings, 0);
    }

    /** A trainer whose network keeps its first {@code frozenLayers} layers fixed (see {@link Network#freeze}). */
    public Trainer(ClContext context, ModelSpec model, TrainSettings settings, int frozenLayers) {
        this(context, frozen(new Network(context, model, settings.batch(), settings.seed()), frozenLayers), settings);
    }

    /** A trainer of {@code network} (any graph's, frozen as it is), which it now owns; batch as the settings'. */
    public Trainer(ClContext context, Network network, TrainSettings settings) {
        if (network.batch() != settings.batch()) {
            network.close();
            throw new IllegalArgumentException("network of batch " + network.batch() + " for training at batch " + settings.batch());
        }
        this.loss = new SoftmaxCrossEntropy(context, settings.batch(), network.outputShape().size());
        this.loop = new TrainLoop<>(context, network, settings, loss);
    }

    private static Network frozen(Network network, int layers) {
        try {
            network.freeze(layers);
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    public TrainLoop<SoftmaxCrossEntropy.Totals> loop() {
        return loop;
    }

    /** The objective, whose running sums a replica maps after each step. */
    public SoftmaxCrossEntropy loss() {
        return loss;
    }

    public Network network() {
        return loop.network();
    }

    public Optimizer optimizer() {
        return loop.optimizer();
    }

    public TrainSettings settings() {
        return loop.settings();
    }

    /** The next epoch to train (0-based). */
    public int epoch() {
        return loop.epoch();
    }

    /** Steps taken so far over the whole run. */
    public long step() {
        return loop.step();
    }

    /** Seconds the host spent blocked on reads of the running loss (waiting for the device). */
    public double syncSeconds() {
        return loop.syncSeconds();
    }

    public long stepsPerEpoch(int count) {
        return count / settings().batch();
    }

    /**
     * Trains one epoch; {@code progress} receives images done after each enqueued step. Returns
     * null when {@code stop} became true (the partial epoch is not counted; resume replays it).
     */
    public EpochStats trainEpoch(BatchSource train, LongConsumer progress, BooleanSupplier stop) {
        TrainLoop.Epoch<SoftmaxCrossEntropy.Totals> e = loop.trainEpoch(train, Sampling.shuffled(settings().seed(), train.count(), settings().batch()), progress, stop);
        return e == null ? null : new EpochStats(e.epoch(), e.totals().loss(), e.totals().accuracy(), e.lr(), e.seconds(), e.images());
    }

    /** Loss, accuracy and confusion over {@code data} in evaluation mode (dropout off, running BN stats). */
    public Evaluation evaluate(BatchSource data) {
        return Evaluator.evaluate(loop.network(), data, loss.target(), loop.step());
    }

    @Override
    public void close() {
        loop.close();
    }
}
