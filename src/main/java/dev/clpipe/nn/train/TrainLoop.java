package dev.clpipe.nn.train;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.BatchSource;
import dev.clpipe.nn.Checkpoints;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Optimizer;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.TrainingDivergedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The one training loop: per step it gathers a batch from a {@link BatchSource} in the order of
 * a {@link Sampling}, runs forward, the {@link Objective}'s loss and gradient, backward and the
 * optimiser, all enqueued without waiting. The host reads the objective's running totals every
 * {@code checkEvery} steps (progress, NaN check) and at the epoch's end. Position (epoch, step)
 * plus the seed fully determine what comes next, so a restored loop continues exactly.
 */
public final class TrainLoop<T extends Objective.Totals> implements AutoCloseable {
    /** One finished epoch: the objective's totals over it, the learning rate of its last step, timing. */
    public record Epoch<T>(int epoch, T totals, double lr, double seconds, long images) implements TrainedEpoch {}

    private final TrainSettings settings;
    private final Network network;
    private final Optimizer optimizer;
    private final Objective<T> objective;
    private int epoch;
    private long step;
    private double syncSeconds;

    /** Trains {@code network}'s trainable parameters (it and the objective are owned, closed with the loop). */
    public TrainLoop(ClContext context, Network network, TrainSettings settings, Objective<T> objective) {
        this.settings = settings;
        this.network = network;
        this.optimizer = new Optimizer(context, settings.optimizer(), network.trainable());
        this.objective = objective;
    }

    public Network network() {
        return network;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Objective<T> objective() {
        return objective;
    }

    public TrainSettings settings() {
        return settings;
    }

    /** The next epoch to train (0-based). */
    public int epoch() {
        return epoch;
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

    /**
     * Trains one epoch; {@code progress} receives images done after each enqueued step. Returns
     * null when {@code stop} became true (the partial epoch is not counted; resume replays it).
     */
    public Epoch<T> trainEpoch(BatchSource data, Sampling sampling, LongConsumer progress, BooleanSupplier stop) {
        int batch = settings.batch();
        Sampling.Plan plan = sampling.plan(epoch);
        long perEpoch = sampling.stepsPerEpoch();
        long total = perEpoch * settings.epochs();
        long t0 = System.nanoTime();
        data.setEpoch(epoch);
        data.setOrder(plan.order());
        objective.reset();
        double lr = 0;
        for (int s = 0; s < plan.steps(); s++) {
            if (stop.getAsBoolean()) return null;
            lr = settings.schedule().rate(settings.optimizer().lr(), step, perEpoch, total);
            computeGradient(data, s * batch, batch, step);
            optimizer.step(lr);
            step++;
            progress.accept(batch);
            if ((s + 1) % settings.checkEvery() == 0) check();
        }
        T t = check();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Epoch<>(epoch++, t, lr, seconds, plan.steps() * batch);
    }

    /**
     * Rows order[first .. first + rows) of the current order: gather, forward in training mode,
     * the objective's loss and gradient, backward. The optimiser step is the caller's (replicas
     * sum their gradients first).
     */
    public void computeGradient(BatchSource data, int first, int rows, long atStep) {
        data.gather(first, rows, rows, network.input(), objective.target());
        network.forward(true, atStep);
        objective.lossAndGradient(network.logits(), network.logitsGradient(), atStep);
        network.backward(atStep);
    }

    private T check() {
        long t0 = System.nanoTime();
        T t = objective.read();
        syncSeconds += (System.nanoTime() - t0) / 1e9;
        TrainingDivergedException.throwIfDiverged(objective.lossName(), t.firstBadStep(), t.loss(), step, epoch, network, objective.hint());
        objective.checked(t, step);
        return t;
    }

    /**
     * Saves parameters, optimiser state and position under {@code root}; {@code alsoSave}: parameters
     * outside the loop's network the checkpoint must hold (frozen layers). Returns the folder.
     */
    public Path save(Path root, Map<String, Object> extra, List<Param> alsoSave) throws IOException {
        return Checkpoints.save(root, network, optimizer, epoch, step, settings.seed(), extra, alsoSave);
    }

    /** Restores parameters, optimiser state and position from a checkpoint folder; returns its index. */
    public Map<String, Object> restore(Path folder) throws IOException {
        Map<String, Object> index = Checkpoints.load(folder, network, optimizer);
        setPosition(((Number) index.get("epoch")).intValue(), ((Number) index.get("step")).longValue());
        return index;
    }

    /** This loop with its data as an {@link EpochSession}: {@code epochs} trains one epoch over that data. */
    public <E extends TrainedEpoch> EpochSession<E> session(LongSupplier stepsPerEpoch, LoopSession.Epochs<E> epochs) {
        return new LoopSession<>(this, stepsPerEpoch, epochs);
    }

    @Override
    public void close() {
        network.close();
        optimizer.close();
        objective.close();
    }
}
