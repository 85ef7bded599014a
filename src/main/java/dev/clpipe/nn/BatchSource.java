package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;

/**
 * Labelled samples kept on the device, assembled into batches by a gather kernel in a given
 * visiting order: decoded images ({@link DeviceDataset}) or precomputed features ({@link DeviceFeatures}).
 */
public interface BatchSource extends AutoCloseable {
    int count();

    /** The label of every sample, in storage order. */
    int[] labels();

    /** Shape of one sample as a batch row (what the network's input must be). */
    Shape shape();

    /** Sets the visiting order (a permutation of [0, count)); null means 0, 1, 2, ... */
    void setOrder(int[] permutation);

    /**
     * Writes samples order[first .. first + valid) into x (NHWC) and their labels into y; rows
     * from {@code valid} to {@code batch} are zero with label -1 (ignored by the stats).
     */
    void gather(int first, int valid, int batch, ClBuffer x, ClBuffer y);

    @Override
    void close();
}
