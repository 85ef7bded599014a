package dev.clpipe.nn.train;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClEvent;
import dev.clpipe.cl.ClMapping;
import dev.clpipe.cl.parallel.DeviceShare;
import dev.clpipe.nn.BatchSource;
import dev.clpipe.nn.FlatParameters;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.ops.WeightedSum;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One device's copy of the model in a {@link ReplicatedTrainer}: a {@link Trainer} whose network
 * is sized to this device's rows of the batch (its optimiser applies the shared gradient) and its
 * own source of training rows on this device (the whole set uploaded, or a stream from a sample
 * cache of which it reads only its slice of each batch). After {@link #enqueueCompute} and {@link #awaitCompute} its gradient
 * buffers stay mapped into host memory, where {@link GradientAllReduce} sums them in place;
 * {@link #applyReduced} unmaps them and enqueues the optimiser. One host thread drives every replica.
 */
final class Replica implements AutoCloseable {
    private final ClContext context;
    private final ModelSpec model;
    private final TrainSettings settings;
    private final BatchSource train;
    private final DeviceShare share;
    private Trainer trainer;
    /** The trainer's parameters, gradients and optimiser state in one buffer each: one all-reduce and one update launch per step. */
    private FlatParameters flat;
    private ClMapping[] mapped;
    private FloatBuffer[] gradients;
    private ClMapping totals;
    private ClEvent started;
    private ClEvent computed;
    private int rows;
    private double deviceSeconds;
    /** Device all-reduce ({@link DeviceReducedSteps}): this replica's sum of every replica's flat gradient. */
    private ClBuffer reduced;
    private WeightedSum summer;

    /** {@code trainSource}: builds this device's source of training rows (see {@link dev.clpipe.nn.DeviceSources}). */
    Replica(int index, ClContext context, ModelSpec model, TrainSettings settings, Function<ClContext, BatchSource> trainSource, int rows) {
        this.context = context;
        this.model = model;
        this.settings = settings;
        this.share = new DeviceShare(index, context.device().describe());
        this.train = trainSource.apply(context);
        try {
            train.setStride(settings.batch()); // its slice of each batch: a whole batch on from the last
            build(rows);
        } catch (RuntimeException e) {
            train.close();
            throw e;
        }
    }

    private void build(int rows) {
        this.rows = rows;
        this.trainer = new Trainer(context, model, withBatch(settings, rows));
        try {
            this.flat = new FlatParameters(context, trainer.network().trainable(), trainer.optimizer());
        } catch (RuntimeException e) {
            trainer.close();
            throw e;
        }
    }

    private static TrainSettings withBatch(TrainSettings s, int batch) {
        return new TrainSettings(batch, s.epochs(), s.optimizer(), s.schedule(), s.seed(), s.checkEvery());
    }

    /**
     * Rebuilds the network for {@code newRows} rows per step and carries every parameter,
     * statistic and optimiser state over by device copies, so the rebuilt replica continues exactly.
     */
    void resize(int newRows, int epoch, long step) {
        if (newRows == rows) return;
        unmap();
        Trainer old = trainer;
        FlatParameters oldFlat = flat;
        build(newRows);
        var queue = context.queue();
        List<Param> from = old.network().params(), to = trainer.network().params();
        for (int i = 0; i < from.size(); i++) to.get(i).value().copyFrom(queue, from.get(i).value());
        for (Map.Entry<String, ClBuffer> e : old.optimizer().state().entrySet()) {
            trainer.optimizer().state().get(e.getKey()).copyFrom(queue, e.getValue());
        }
        trainer.loop().setPosition(epoch, step);
        queue.finish();
        old.close();
        oldFlat.close();
        if (reduced != null && reduced.floats() != flat.floats()) {
            reduced.close();
            reduced = null;
        }
    }

    DeviceShare share() {
        return share;
    }

    ClContext context() {
        return context;
    }

    Trainer trainer() {
        return trainer;
    }

    int rows() {
        return rows;
    }

    /** The epoch (its augmentation draws) and order of the next slices. */
    void startEpoch(int epoch, int[] order) {
        train.setEpoch(epoch);
        train.setOrder(order);
    }

    /** Training rows this replica's source holds (every replica's holds the whole set). */
    int trainCount() {
        return train.count();
    }

    /** See {@link BatchSource#gathersAheadOfDevice}. */
    int gathersAheadOfDevice() {
        return train.gathersAheadOfDevice();
    }

    /** Seconds this replica's gathers waited for their samples so far. */
    double dataWaitSeconds() {
        return train.dataWaitSeconds();
    }

    /**
     * Enqueues forward and backward of rows order[first .. first + rows) of the epoch order (rows
     * {@code rowInBatch ..} of the step's batch, which keys dropout masks), with the gradient (of
     * this slice's mean loss) and the loss totals mapped behind them, between two markers that time
     * the slice on the device; flushes and returns without waiting, so one host thread can start
     * every replica before it waits for any ({@link #awaitCompute}).
     */
    void enqueueCompute(int first, int rowInBatch, long step) {
        unmap(); // a step redone after another device failed: the last attempt's mapping
        releaseMarkers();
        Network net = trainer.network();
        net.setRowOffset(rowInBatch);
        SoftmaxCrossEntropy stats = trainer.loss();
        stats.reset();
        started = context.queue().marker(); // completes when the previous step's update has
        trainer.loop().computeGradient(train, first, rows, step);
        List<Param> trainable = net.trainable();
        mapped = new ClMapping[trainable.size()];
        for (int i = 0; i < mapped.length; i++) mapped[i] = trainable.get(i).grad().mapLater(context.queue());
        totals = stats.sums().mapLater(context.queue());
        computed = context.queue().marker();
        context.queue().flush();
    }

    /**
     * Waits for the device (once) and returns the loss totals of the slice enqueued by
     * {@link #enqueueCompute}; its gradient is then mapped and {@link #deviceSeconds} is the time
     * the device spent on the slice (marker to marker, on the device clock).
     */
    SoftmaxCrossEntropy.Totals awaitCompute() {
        if (totals == null) throw new IllegalStateException("nothing enqueued: enqueueCompute first");
        float[] sums = new float[4];
        try (ClMapping t = totals) {
            context.queue().finish();
            t.floats().get(0, sums);
        } finally {
            totals = null;
        }
        gradients = new FloatBuffer[mapped.length];
        for (int i = 0; i < mapped.length; i++) gradients[i] = mapped[i].floats();
        deviceSeconds = (computed.endNanos() - started.endNanos()) / 1e9;
        releaseMarkers();
        return SoftmaxCrossEntropy.totals(sums);
    }

    /** Device seconds of the last slice that {@link #awaitCompute} waited for. */
    double deviceSeconds() {
        return deviceSeconds;
    }

    private void releaseMarkers() {
        if (started != null) started.close();
        if (computed != null) computed.close();
        started = null;
        computed = null;
    }

    /** The gradient mapped by the last {@link #awaitCompute}, one view per trainable parameter; the all-reduce overwrites it in place. */
    FloatBuffer[] mappedGradients() {
        if (mapped == null) throw new IllegalStateException("no gradient mapped: compute first");
        return gradients;
    }

    /** Unmaps the (reduced) gradient and enqueues the optimiser step; the device runs it before the next slice. */
    void applyReduced(double lr) {
        unmap();
        trainer.optimizer().stepFlat(lr, flat.values(), flat.gradients(), flat.floats());
        context.queue().flush();
    }

    /** True when this replica can sum the gradients of {@code all} on its device (one shared context, doubles). */
    boolean canReduceOnDevice(List<Replica> all) {
        if (all.size() > WeightedSum.MAX_INPUTS || !context.supportsDoubles()) return false;
        return all.stream().allMatch(r -> r.context.sharesContextWith(context));
    }

    /** Enqueues the zeroing of the loss totals; they then add up every slice until {@link #readTotals}. */
    void resetTotals() {
        unmap();
        trainer.loss().reset();
    }

    /**
     * Device all-reduce form: enqueues a barrier on {@code after} (the other replicas' sums of the
     * previous step, which read this replica's gradient) and returns its event: the start of this
     * replica's next slice on the device clock.
     */
    ClEvent enqueueStart(ClEvent[] after) {
        return context.queue().barrierMarker(after);
    }

    /**
     * Device all-reduce form: enqueues the slice's forward and backward and a marker, which it
     * returns (the gradient is ready when it completes). Flushes; does not wait.
     */
    ClEvent enqueueSlice(int first, int rowInBatch, long step) {
        var queue = context.queue();
        trainer.network().setRowOffset(rowInBatch);
        trainer.loop().computeGradient(train, first, rows, step);
        ClEvent computed = queue.marker();
        queue.flush(); // this device starts while the host enqueues the next replica's slice
        return computed;
    }

    /**
     * Device all-reduce form: behind {@code computed} (every other replica's gradient of the step),
     * sums {@code weights[r] * flat gradient of all.get(r)} into this replica's own buffer in one
     * launch (the other replicas' buffers are read in place: one shared context) and enqueues the
     * optimiser on the sum, one launch over the flat layout; flushes. Returns the sum's event: when
     * every replica's has completed, no one reads this step's gradients any more.
     */
    ClEvent enqueueReduceAndUpdate(List<Replica> all, double[] weights, ClEvent[] computed, double lr) {
        var queue = context.queue();
        long floats = flat.floats();
        if (reduced == null) {
            summer = summer != null ? summer : new WeightedSum(context);
            reduced = context.buffer(floats * Float.BYTES);
        }
        List<ClBuffer> inputs = new ArrayList<>(all.size());
        for (Replica r : all) {
            if (r.flat.floats() != floats) throw new IllegalStateException("replicas lay their parameters out differently: " + r.flat.floats() + " and " + floats + " floats");
            inputs.add(r.flat.gradients());
        }
        ClEvent done = summer.sum(reduced, inputs, weights, Math.toIntExact(floats), computed);
        trainer.optimizer().stepFlat(lr, flat.values(), reduced, floats);
        queue.flush();
        return done;
    }

    /**
     * Enqueues, behind {@code ready} (an event of {@code lead}'s queue after its last update),
     * device copies of {@code lead}'s flat parameters and optimiser state into this replica's
     * (one shared context). Does not wait: this queue runs them before its next command.
     */
    void copyTrainedFrom(Replica lead, ClEvent ready) {
        var queue = context.queue();
        queue.barrier(ready);
        flat.copyFrom(queue, lead.flat);
        trainer.optimizer().copyStateFrom(queue, lead.trainer.optimizer());
        queue.flush();
    }

    /** Waits for the device and reads the loss totals added up since {@link #resetTotals}. */
    SoftmaxCrossEntropy.Totals readTotals() {
        return trainer.loss().read();
    }

    private void unmap() {
        if (totals != null) {
            totals.close();
            totals = null;
        }
        if (mapped == null) return;
        for (ClMapping m : mapped) m.close();
        mapped = null;
        gradients = null;
    }

    @Override
    public void close() {
        try {
            unmap();
            releaseMarkers();
        } catch (RuntimeException ignored) {
            // a failed device may refuse; its buffers go with the trainer below
        }
        trainer.close();
        flat.close();
        train.close();
        if (summer != null) summer.close();
        if (reduced != null) reduced.close();
    }
}
