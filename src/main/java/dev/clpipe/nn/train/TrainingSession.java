package dev.clpipe.nn.train;

import dev.clpipe.nn.Evaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * A training run over data already placed on its device(s): one device ({@link SingleDeviceSession})
 * or several in data parallel ({@link ReplicatedTrainer}). The train stage drives either the same
 * way: epochs, evaluation, checkpoints.
 */
public interface TrainingSession extends AutoCloseable {
    /** The next epoch to train (0-based). */
    int epoch();

    /** Steps taken so far over the whole run. */
    long step();

    long stepsPerEpoch();

    /** Seconds the host spent blocked waiting for the device(s). */
    double syncSeconds();

    /** Seconds the training batches waited for their data so far (0 when it is on the device). */
    default double dataWaitSeconds() {
        return 0;
    }

    /** One epoch, or null when {@code stop} became true (resume replays the epoch). */
    EpochStats trainEpoch(LongConsumer progress, BooleanSupplier stop);

    /** Loss, accuracy and confusion over the test data (evaluation mode). */
    Evaluation evaluate();

    /** Writes a checkpoint of the current state under {@code root}; returns its folder. */
    Path save(Path root, Map<String, Object> extra) throws IOException;

    /** Restores a checkpoint folder; returns its index. */
    Map<String, Object> load(Path folder) throws IOException;

    /** Device(s) and kernel variants, for the log. */
    String describe();

    /** Per-device split and time for metrics.json; empty for one device. */
    Map<String, Object> deviceMetrics();

    @Override
    void close();
}
