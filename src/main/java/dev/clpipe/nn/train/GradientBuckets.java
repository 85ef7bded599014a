package dev.clpipe.nn.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The trainable parameters cut into buckets for the all-reduce, as PyTorch DDP's reducer does:
 * in reverse order (the order backward produces them), each bucket about {@code capFloats}
 * floats (a larger parameter is a bucket of its own). Each bucket has one owner among the
 * replicas, the one with the least work so far, so every replica reduces about 1/N of the floats.
 */
public final class GradientBuckets {
    /** Parameters [first, last] (indices into the trainable list; first >= last, reverse order) and the replica that reduces them. */
    public record Bucket(int first, int last, long floats, int owner) {}

    private final List<Bucket> buckets;

    private GradientBuckets(List<Bucket> buckets) {
        this.buckets = List.copyOf(buckets);
    }

    /** {@code sizes[p]}: floats of trainable parameter p. */
    public static GradientBuckets of(int[] sizes, int replicas, long capFloats) {
        if (replicas < 1) throw new IllegalArgumentException("no replicas to own the buckets");
        if (capFloats < 1) throw new IllegalArgumentException("bucket cap must be positive: " + capFloats);
        List<long[]> ranges = new ArrayList<>(); // {first, last, floats}
        int p = sizes.length - 1;
        while (p >= 0) {
            int first = p;
            long floats = 0;
            do {
                floats += sizes[p--];
            } while (p >= 0 && floats + sizes[p] <= capFloats);
            ranges.add(new long[] {first, p + 1, floats});
        }
        long[] load = new long[replicas];
        List<Bucket> out = new ArrayList<>();
        for (long[] r : ranges) {
            int owner = 0;
            for (int i = 1; i < replicas; i++) if (load[i] < load[owner]) owner = i;
            load[owner] += r[2];
            out.add(new Bucket((int) r[0], (int) r[1], r[2], owner));
        }
        return new GradientBuckets(out);
    }

    public List<Bucket> all() {
        return buckets;
    }

    /** The buckets {@code replica} reduces. */
    public List<Bucket> ownedBy(int replica) {
        return buckets.stream().filter(b -> b.owner() == replica).toList();
    }
}
