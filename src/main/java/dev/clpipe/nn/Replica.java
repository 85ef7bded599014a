package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.parallel.DeviceShare;
import java.util.List;
import java.util.Map;

/**
 * One device's copy of the model in a {@link ReplicatedTrainer}: a {@link Trainer} whose network
 * is sized to this device's rows of the batch (its optimiser applies the shared gradient), the
 * training set on this device, and host arrays the gradient is read into and summed from.
 */
final class Replica implements AutoCloseable {
    private final ClContext context;
    private final ModelSpec model;
    private final TrainSettings settings;
    private final DeviceDataset train;
    private final DeviceShare share;
    private Trainer trainer;
    private LossStats stats;
    private float[][] gradients;
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
        this.stats = new LossStats(context, rows, model.output().size());
        List<Param> trainable = trainer.network().trainable();
        this.gradients = new float[trainable.size()][];
        for (int i = 0; i < gradients.length; i++) gradients[i] = new float[trainable.get(i).size()];
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
        Trainer old = trainer;
        LossStats oldStats = stats;
        build(newRows);
        var queue = context.queue();
        List<Param> from = old.network().params(), to = trainer.network().params();
        for (int i = 0; i < from.size(); i++) to.get(i).value().copyFrom(queue, from.get(i).value());
        for (Map.Entry<String, ClBuffer> e : old.optimizer().state().entrySet()) {
            trainer.optimizer().state().get(e.getKey()).copyFrom(queue, e.getValue());
        }
        trainer.setPosition(epoch, step);
        queue.finish();
        old.close();
        oldStats.close();
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
     * {@code rowInBatch ..} of the step's batch, which keys dropout masks), then waits
     * for the device and reads the gradient (of this slice's mean loss) and the slice's loss totals.
     */
    LossStats.Totals compute(int first, int rowInBatch, long step) {
        Network net = trainer.network();
        net.setRowOffset(rowInBatch);
        stats.reset();
        train.gather(first, rows, rows, net.input(), trainer.labelsBuffer());
        net.forward(true, step);
        stats.lossAndGradient(net.logits(), trainer.labelsBuffer(), net.logitsGradient(), step);
        net.backward(step);
        List<Param> trainable = net.trainable();
        for (int i = 0; i < gradients.length; i++) trainable.get(i).grad().read(context.queue(), gradients[i]);
        return stats.read();
    }

    /** The gradient read by the last {@link #compute}, one array per trainable parameter. */
    float[][] gradients() {
        return gradients;
    }

    /** Writes the batch's gradient into this replica and applies the optimiser step (enqueued). */
    void apply(float[][] batchGradient, double lr) {
        List<Param> trainable = trainer.network().trainable();
        for (int i = 0; i < batchGradient.length; i++) trainable.get(i).grad().write(context.queue(), batchGradient[i]);
        trainer.optimizer().step(lr);
        context.queue().flush();
    }

    @Override
    public void close() {
        trainer.close();
        stats.close();
        train.close();
    }
}
