package dev.clpipe.detect.train;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.detect.YoloLayout;
import dev.clpipe.detect.YoloLoss;
import dev.clpipe.detect.YoloLossKernel;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.EpochOrder;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Optimizer;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.TrainingDivergedException;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Trains a YOLO-style detector: per step the frames of a batch are gathered on the device
 * ({@link DeviceDataset}), their encoded targets uploaded, then forward, {@link YoloLossKernel}
 * (loss and head gradient on the device), backward and the optimiser. The host reads the running
 * loss every {@code checkEvery} steps and at the epoch's end, and stops with
 * {@link TrainingDivergedException} on a NaN/inf loss. The epoch order is
 * {@link EpochOrder}(seed, epoch), so a run is a pure function of its seed.
 */
public final class DetectorTrainer implements AutoCloseable {
    /** One epoch: mean loss, learning rate at its end, seconds, images. */
    public record Epoch(int epoch, double loss, double lr, double seconds, long images) {
        public double imagesPerSecond() {
            return seconds > 0 ? images / seconds : 0;
        }
    }

    private final ClContext context;
    private final TrainSettings settings;
    private final YoloLayout layout;
    private final Network network;
    private final Optimizer optimizer;
    private final YoloLossKernel loss;
    private final ClBuffer target;
    private final ClBuffer unusedLabels;
    private final float[] hostTarget;
    private int epoch;
    private long step;

    public DetectorTrainer(ClContext context, ModelSpec model, TrainSettings settings, YoloLayout layout, YoloLoss.Weights weights,
                           YoloLoss.Objectness objectness) {
        Shape out = model.output();
        int channels = layout.anchors() * layout.channels();
        if (out.height() != layout.gridH() || out.width() != layout.gridW() || out.channels() != channels) {
            throw new IllegalArgumentException("model " + model.name() + " ends in " + out + " but a " + layout.gridH() + "x" + layout.gridW()
                    + " grid with " + layout.anchors() + " anchors and " + layout.classes() + " classes needs " + layout.gridH() + "x"
                    + layout.gridW() + "x" + channels + " (last layer: 1x1 conv with " + channels + " filters)");
        }
        this.context = context;
        this.settings = settings;
        this.layout = layout;
        this.network = new Network(context, model, settings.batch(), settings.seed());
        this.optimizer = new Optimizer(context, settings.optimizer(), network.trainable());
        this.loss = new YoloLossKernel(context, layout, weights, objectness, settings.batch());
        this.target = context.buffer((long) loss.batchSize() * Float.BYTES);
        this.unusedLabels = context.buffer((long) settings.batch() * Integer.BYTES);
        this.hostTarget = new float[loss.batchSize()];
    }

    public Network network() {
        return network;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public int epoch() {
        return epoch;
    }

    public long step() {
        return step;
    }

    public long stepsPerEpoch(int count) {
        return count / settings.batch();
    }

    /**
     * One epoch over {@code frames} with {@code targets} (scene i's block at {@code i * layout.size()});
     * {@code progress} receives images done per step. Returns null when {@code stop} became true.
     */
    public Epoch trainEpoch(DeviceDataset frames, float[] targets, LongConsumer progress, BooleanSupplier stop) {
        int batch = settings.batch();
        int block = layout.size();
        if (frames.count() < batch) {
            throw new IllegalArgumentException("batch " + batch + " is larger than the " + frames.count() + " training scenes");
        }
        if (targets.length != (long) frames.count() * block) {
            throw new IllegalArgumentException(targets.length + " target values for " + frames.count() + " scenes of " + block);
        }
        long steps = stepsPerEpoch(frames.count());
        long total = steps * settings.epochs();
        long t0 = System.nanoTime();
        int[] order = EpochOrder.of(settings.seed(), epoch, frames.count());
        frames.setOrder(order);
        loss.reset();
        double lr = 0;
        for (int s = 0; s < steps; s++) {
            if (stop.getAsBoolean()) return null;
            lr = settings.schedule().rate(settings.optimizer().lr(), step, steps, total);
            frames.gather(s * batch, batch, batch, network.input(), unusedLabels);
            for (int r = 0; r < batch; r++) {
                System.arraycopy(targets, order[s * batch + r] * block, hostTarget, r * block, block);
            }
            target.write(context.queue(), hostTarget);
            network.forward(true, step);
            loss.lossAndGradient(network.logits(), target, network.logitsGradient(), step);
            network.backward(step);
            optimizer.step(lr);
            step++;
            progress.accept(batch);
            if ((s + 1) % settings.checkEvery() == 0) check();
        }
        YoloLossKernel.Totals t = check();
        return new Epoch(epoch++, t.meanLoss(), lr, (System.nanoTime() - t0) / 1e9, steps * batch);
    }

    private YoloLossKernel.Totals check() {
        YoloLossKernel.Totals t = loss.read();
        TrainingDivergedException.throwIfDiverged("detector loss", t.firstBadStep(), t.lossSum(), step, epoch, network, "lower the learning rate");
        return t;
    }

    @Override
    public void close() {
        network.close();
        optimizer.close();
        loss.close();
        target.close();
        unusedLabels.close();
    }
}
