package dev.clpipe.nn.train;

import dev.clpipe.cl.ClBuffer;

/**
 * What a {@link TrainLoop} minimises: the loss of a batch and its gradient with respect to the
 * network's output, both on the device, with running totals since the last {@link #reset}
 * that the host reads only at checks. The batch's targets (class labels, encoded boxes) are
 * gathered by the {@link dev.clpipe.nn.BatchSource} into {@link #target()}.
 */
public interface Objective<T extends Objective.Totals> extends AutoCloseable {
    /** Running totals: the mean loss so far and the first step whose loss was not finite (-1 if none). */
    interface Totals {
        double loss();

        long firstBadStep();
    }

    /** The device buffer a batch's targets are gathered into. */
    ClBuffer target();

    /** Enqueues the loss of the batch in {@code output} and writes the gradient of its mean into {@code outputGradient}. */
    void lossAndGradient(ClBuffer output, ClBuffer outputGradient, long step);

    /** Zeroes the running totals (enqueued). */
    void reset();

    /** Blocking read of the running totals (a device sync). */
    T read();

    /** Called after every check that found the loss finite, with the steps taken so far (for per-check curves). */
    default void checked(T totals, long step) {}

    /** How the loss is named when it diverges, e.g. "training loss". */
    String lossName();

    /** What to try when the loss diverges. */
    String hint();

    @Override
    void close();
}
