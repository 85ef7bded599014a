package dev.clpipe.detect.train;

import dev.clpipe.cl.ClContext;
import dev.clpipe.detect.YoloLayout;
import dev.clpipe.detect.YoloLoss;
import dev.clpipe.nn.BatchSource;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.EpochOrder;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.TrainingDivergedException;
import dev.clpipe.nn.train.EpochSession;
import dev.clpipe.nn.train.Sampling;
import dev.clpipe.nn.train.TrainLoop;
import dev.clpipe.nn.train.TrainedEpoch;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Trains a YOLO-style detector: the {@link TrainLoop} with the {@link YoloObjective} (loss and
 * head gradient on the device) over {@link SceneBatches} (frames gathered on the device, their
 * encoded targets uploaded). It stops with {@link TrainingDivergedException} on a NaN/inf loss.
 * The epoch order is {@link EpochOrder}(seed, epoch), so a run is a pure function of its seed.
 */
public final class DetectorTrainer implements AutoCloseable {
    /** One epoch: mean loss, learning rate at its end, seconds, images. */
    public record Epoch(int epoch, double loss, double lr, double seconds, long images) implements TrainedEpoch {}

    private final ClContext context;
    private final TrainSettings settings;
    private final YoloLayout layout;
    private final TrainLoop<YoloObjective.Totals> loop;

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
        this.loop = new TrainLoop<>(context, new Network(context, model, settings.batch(), settings.seed()), settings,
                new YoloObjective(context, layout, weights, objectness, settings.batch()));
    }

    public TrainLoop<?> loop() {
        return loop;
    }

    public Network network() {
        return loop.network();
    }




    public long stepsPerEpoch(int count) {
        return count / settings.batch();
    }

    /**
     * One epoch over {@code frames} with {@code targets} (scene i's block at {@code i * layout.size()});
     * {@code progress} receives images done per step. Returns null when {@code stop} became true.
     */
    public Epoch trainEpoch(DeviceDataset frames, float[] targets, LongConsumer progress, BooleanSupplier stop) {
        if (frames.count() < settings.batch()) {
            throw new IllegalArgumentException("batch " + settings.batch() + " is larger than the " + frames.count() + " training scenes");
        }
        try (SceneBatches scenes = new SceneBatches(context, frames, targets, layout.size(), settings.batch())) {
            return trainEpoch(scenes, progress, stop);
        }
    }

    /**
     * One epoch over {@code source}, whose gather writes each batch's encoded YOLO targets into the
     * target buffer ({@link SceneBatches}, {@link CachedDetections}); the source stays the caller's.
     */
    public Epoch trainEpoch(BatchSource source, LongConsumer progress, BooleanSupplier stop) {
        if (source.count() < settings.batch()) {
            throw new IllegalArgumentException("batch " + settings.batch() + " is larger than the " + source.count() + " training images");
        }
        TrainLoop.Epoch<YoloObjective.Totals> e = loop.trainEpoch(source, Sampling.shuffled(settings.seed(), source.count(), settings.batch()), progress, stop);
        return e == null ? null : new Epoch(e.epoch(), e.totals().loss(), e.lr(), e.seconds(), e.images());
    }

    /** Epochs over one source of images and targets (a folder's cached samples), as a job's epoch skeleton drives them. */
    public EpochSession<Epoch> session(BatchSource source) {
        return loop.session(() -> stepsPerEpoch(source.count()), (progress, stop) -> trainEpoch(source, progress, stop));
    }

    /** Epochs over the frames and targets {@code scenes} holds at each epoch's start, as a job's epoch skeleton drives them. */
    public EpochSession<Epoch> session(Supplier<DeviceDataset> frames, Supplier<float[]> targets) {
        return loop.session(() -> stepsPerEpoch(frames.get().count()), (progress, stop) -> trainEpoch(frames.get(), targets.get(), progress, stop));
    }

    @Override
    public void close() {
        loop.close();
    }
}
