package dev.clpipe.nn.io;

/**
 * What {@link TfjsWeights} accepts before reading a byte of shard data, so an absurd or hostile
 * manifest is refused up front instead of exhausting memory.
 *
 * @param maxTotalBytes     stored bytes of all shards together, and decoded float bytes of all tensors
 * @param maxRank           highest tensor rank
 * @param maxTensors        number of weight entries in the manifest
 * @param requireFinite     refuse NaN or infinite float values
 */
public record TfjsLimits(long maxTotalBytes, int maxRank, int maxTensors, boolean requireFinite) {
    /** 1 GiB, rank 8, 100 000 tensors, finite values only. */
    public static final TfjsLimits DEFAULT = new TfjsLimits(1L << 30, 8, 100_000, true);

    public TfjsLimits {
        if (maxTotalBytes <= 0) throw new IllegalArgumentException("maxTotalBytes must be > 0, got " + maxTotalBytes);
        if (maxRank < 0) throw new IllegalArgumentException("maxRank must be >= 0, got " + maxRank);
        if (maxTensors <= 0) throw new IllegalArgumentException("maxTensors must be > 0, got " + maxTensors);
    }

    public TfjsLimits withMaxTotalBytes(long bytes) {
        return new TfjsLimits(bytes, maxRank, maxTensors, requireFinite);
    }
}
