package dev.clpipe.nn.train;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.BatchSource;
import dev.clpipe.nn.DeviceSources;
import dev.clpipe.nn.Evaluation;
import dev.clpipe.nn.Param;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * A {@link Trainer} on one device with its train and test samples there: uploaded images, or
 * features of frozen layers when only a head trains (transfer learning).
 */
public final class SingleDeviceSession implements TrainingSession {
    private final ClContext device;
    private final Trainer trainer;
    private final BatchSource train;
    private final BatchSource test;
    private final List<Param> alsoSave;
    private final List<AutoCloseable> owned;

    /**
     * A session training {@code trainer} on {@code device} with its training and test batches from
     * {@code data}; it owns the trainer and both sources (closed here if building the sources fails).
     */
    public static SingleDeviceSession of(ClContext device, Trainer trainer, DeviceSources data) {
        List<AutoCloseable> owned = new ArrayList<>(List.of(trainer));
        try {
            BatchSource train = data.train().apply(device);
            owned.add(train);
            BatchSource test = data.test().apply(device);
            owned.add(test);
            return new SingleDeviceSession(device, trainer, train, test, List.of(), owned);
        } catch (RuntimeException | Error e) {
            for (int i = owned.size() - 1; i >= 0; i--) {
                try {
                    owned.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * A session over parts built elsewhere. {@code alsoSave}: parameters outside the trainer that
     * checkpoints must hold (frozen layers); {@code owned}: what {@link #close} closes, in reverse.
     */
    public SingleDeviceSession(ClContext device, Trainer trainer, BatchSource train, BatchSource test, List<Param> alsoSave, List<AutoCloseable> owned) {
        this.device = device;
        this.trainer = trainer;
        this.train = train;
        this.test = test;
        this.alsoSave = List.copyOf(alsoSave);
        this.owned = List.copyOf(owned);
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
    public double dataWaitSeconds() {
        return train.dataWaitSeconds();
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
        return trainer.loop().save(root, extra, alsoSave);
    }

    @Override
    public Map<String, Object> load(Path folder) throws IOException {
        return trainer.loop().restore(folder);
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
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + owned.get(i) + ": " + e.getMessage(), e);
            }
        }
    }
}
