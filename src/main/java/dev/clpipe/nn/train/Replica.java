package dev.clpipe.nn.train;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClMapping;
import dev.clpipe.cl.parallel.DeviceShare;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.TrainSettings;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * One device's copy of the model in a {@link ReplicatedTrainer}: a {@link Trainer} whose network
 * is sized to this device's rows of the batch (its optimiser applies the shared gradient) and the
 * training set on this device. After {@link #compute} its gradient buffers stay mapped into host
 * memory, where {@link GradientAllReduce} sums them in place; {@link #applyReduced} unmaps them and
 * runs the optimiser. Every call on a replica comes from one thread at a time, and on a driver that
 * runs kernels in the thread that waits for them (PoCL's {@code basic}) that is the device's own thread.
 */
final class Replica implements AutoCloseable {
    private final ClContext context;
    private final ModelSpec model;
    private final TrainSettings settings;
    private final DeviceDataset train;
    private final DeviceShare share;
    private Trainer trainer;
    private ClMapping[] mapped;
    private FloatBuffer[] gradients;
    private int rows;
    /** Device seconds of the last {@link #compute} (set by the thread that ran it). */
    volatile double lastSeconds;

    Replica(int index, ClContext context, ModelSpec model, TrainSettings settings, Dataset data, float mean, float std, int rows) {
        this.context = context;
        this.model = model;
        this.settings = settings;
        this.share = new DeviceShare(index, context.device().describe());
        this.train = new DeviceDataset(context, data, mean, std);
        try {
            build(rows);
        } catch (RuntimeException e) {
            train.close();
            throw e;
        }
    }

    private void build(int rows) {
        this.rows = rows;
        this.trainer = new Trainer(context, model, withBatch(settings, rows));
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

    void setOrder(int[] order) {
        train.setOrder(order);
    }

    /**
     * Forward and backward of rows order[first .. first + rows) of the epoch order (rows
     * {@code rowInBatch ..} of the step's batch, which keys dropout masks), with the gradient
     * (of this slice's mean loss) and the loss totals mapped behind them; one wait for the device
     * covers it all, and the update enqueued by the last {@link #applyReduced} before it.
     */
    SoftmaxCrossEntropy.Totals compute(int first, int rowInBatch, long step) {
        unmap(); // a step redone after another device failed: the last attempt's mapping
        Network net = trainer.network();
        net.setRowOffset(rowInBatch);
        SoftmaxCrossEntropy stats = trainer.loss();
        stats.reset();
        trainer.loop().computeGradient(train, first, rows, step);
        List<Param> trainable = net.trainable();
        mapped = new ClMapping[trainable.size()];
        for (int i = 0; i < mapped.length; i++) mapped[i] = trainable.get(i).grad().mapLater(context.queue());
        float[] sums = new float[4];
        try (ClMapping totals = stats.sums().mapLater(context.queue())) {
            context.queue().finish();
            totals.floats().get(0, sums);
        }
        gradients = new FloatBuffer[mapped.length];
        for (int i = 0; i < mapped.length; i++) gradients[i] = mapped[i].floats();
        return SoftmaxCrossEntropy.totals(sums);
    }

    /** The gradient mapped by the last {@link #compute}, one view per trainable parameter; the all-reduce overwrites it in place. */
    FloatBuffer[] mappedGradients() {
        if (mapped == null) throw new IllegalStateException("no gradient mapped: compute first");
        return gradients;
    }

    /** Unmaps the (reduced) gradient and enqueues the optimiser step; the next {@link #compute} waits for it. */
    void applyReduced(double lr) {
        unmap();
        trainer.optimizer().step(lr);
        context.queue().flush();
    }

    private void unmap() {
        if (mapped == null) return;
        for (ClMapping m : mapped) m.close();
        mapped = null;
        gradients = null;
    }

    @Override
    public void close() {
        try {
            unmap();
        } catch (RuntimeException ignored) {
            // a failed device may refuse; its buffers go with the trainer below
        }
        trainer.close();
        train.close();
    }
}
