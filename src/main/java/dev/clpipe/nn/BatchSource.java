package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;

/**
 * Labelled samples assembled into device batches by a gather kernel in a given
 * visiting order: decoded images ({@link DeviceDataset}), precomputed features ({@link DeviceFeatures}), or
 * samples streamed from a decoded-sample cache ({@link CachedBatchSource}).
 */
public interface BatchSource extends AutoCloseable {
    int count();

    /** The label of every sample, in storage order. */
    int[] labels();

    /** Shape of one sample as a batch row (what the network's input must be). */
    Shape shape();

    /** Sets the visiting order (a permutation of [0, count)); null means 0, 1, 2, ... */
    void setOrder(int[] permutation);

    /** Tells the source which epoch the next batches belong to (sources that augment draw per epoch; the rest ignore it). */
    default void setEpoch(int epoch) {}

    /**
     * Writes samples order[first .. first + valid) into x (NHWC) and their labels into y; rows
     * from {@code valid} to {@code batch} are zero with label -1 (ignored by the stats).
     */
    void gather(int first, int valid, int batch, ClBuffer x, ClBuffer y);

    /**
     * Rows from one {@link #gather}'s first row to the next one's: a data-parallel replica gathers
     * only its slice of each batch, so a source that reads ahead reads the slice one stride on.
     * Zero (the default): consecutive batches, each starting where the last one ended.
     */
    default void setStride(int rows) {}

    /**
     * Gathers that may be enqueued while the device runs none of them (held behind a closed gate)
     * without {@link #gather} blocking forever: a source that streams through a few host slots
     * waits for the device to take an earlier slot before it refills it. Unlimited for data on the device.
     */
    default int gathersAheadOfDevice() {
        return Integer.MAX_VALUE;
    }

    /** Seconds {@link #gather} has waited for samples to arrive so far (0 for data already on the device). */
    default double dataWaitSeconds() {
        return 0;
    }

    @Override
    void close();
}
