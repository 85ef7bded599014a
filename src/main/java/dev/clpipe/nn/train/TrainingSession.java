package dev.clpipe.nn.train;

import dev.clpipe.nn.Evaluation;
import java.util.Map;

/**
 * A training run over data already placed on its device(s): one device ({@link SingleDeviceSession})
 * or several in data parallel ({@link ReplicatedTrainer}). The train stage drives either the same
 * way: epochs, evaluation, checkpoints.
 */
public interface TrainingSession extends EpochSession<EpochStats>, AutoCloseable {
    /** Seconds the host spent blocked waiting for the device(s). */
    double syncSeconds();

    /** Seconds the training batches waited for their data so far (0 when it is on the device). */
    default double dataWaitSeconds() {
        return 0;
    }

    /** Loss, accuracy and confusion over the test data (evaluation mode). */
    Evaluation evaluate();

    /** Device(s) and kernel variants, for the log. */
    String describe();

    /** Per-device split and time for metrics.json; empty for one device. */
    Map<String, Object> deviceMetrics();

    @Override
    void close();
}
