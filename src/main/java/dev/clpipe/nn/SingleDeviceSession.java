package dev.clpipe.nn;

import dev.clpipe.cl.ClContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/** A {@link Trainer} on one device with its train and test sets uploaded there. */
public final class SingleDeviceSession implements TrainingSession {
    private final ClContext device;
    private final Trainer trainer;
    private final DeviceDataset train;
    private final DeviceDataset test;

    public SingleDeviceSession(ClContext device, ModelSpec model, TrainSettings settings, Dataset trainData, Dataset testData, float mean, float std) {
        this.device = device;
        this.trainer = new Trainer(device, model, settings);
        try {
            this.train = new DeviceDataset(device, trainData, mean, std);
            this.test = new DeviceDataset(device, testData, mean, std);
        } catch (RuntimeException e) {
            trainer.close();
            throw e;
        }
    }

    public Trainer trainer() {
        return trainer;
    }

    @Override
    public int epoch() {
        return trainer.epoch();
    }

    @Override
    public long step() {
        return trainer.step();
    }

    @Override
    public long stepsPerEpoch() {
        return trainer.stepsPerEpoch(train.count());
    }

    @Override
    public double syncSeconds() {
        return trainer.syncSeconds();
    }

    @Override
    public EpochStats trainEpoch(LongConsumer progress, BooleanSupplier stop) {
        return trainer.trainEpoch(train, progress, stop);
    }

    @Override
    public Evaluation evaluate() {
        return trainer.evaluate(test);
    }

    @Override
    public Path save(Path root, Map<String, Object> extra) throws IOException {
        return Checkpoints.save(root, trainer, extra);
    }

    @Override
    public Map<String, Object> load(Path folder) throws IOException {
        return Checkpoints.load(folder, trainer);
    }

    @Override
    public String describe() {
        return device.device().describe() + "; kernels " + trainer.network().describeKernels();
    }

    @Override
    public Map<String, Object> deviceMetrics() {
        return Map.of();
    }

    @Override
    public void close() {
        trainer.close();
        train.close();
        test.close();
    }
}
