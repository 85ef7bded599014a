package dev.clpipe.data;

import java.nio.ByteBuffer;

/**
 * Labelled uint8 samples of one {@link SampleFormat} that a batch source copies row by row into
 * its host slots: the memory-mapped decoded-sample cache ({@link CachedSamples}) or a dataset held
 * in memory (IDX files). Thread-safe reads.
 */
public interface SampleRows {
    int count();

    /** Label of every sample, in sample order (shared; do not change). */
    int[] labels();

    SampleFormat format();

    /** Copies sample {@code i} into {@code dst} at byte {@code offset} (dst's position is unchanged). */
    void copy(int i, ByteBuffer dst, int offset);

    /** Where the samples come from, for messages. */
    String describe();
}
