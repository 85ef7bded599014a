package dev.clpipe.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bucketed all-reduce: buckets cover every parameter once, in reverse order, within the cap,
 * and their owners share the floats about evenly; reducing every bucket in place gives every
 * replica the same weighted sum, bit for bit the plain double-accumulated sum in replica order.
 */
class GradientAllReduceTest {
    private static final int[] LENET_SIZES = {150, 6, 2400, 16, 48000, 120, 10080, 84, 840, 10};

    @Test
    void bucketsCoverEveryParameterOnceInReverseOrder() {
        for (int replicas = 1; replicas <= 4; replicas++) {
            for (long cap : new long[] {1, 100, 16_384, 1 << 20}) {
                GradientBuckets b = GradientBuckets.of(LENET_SIZES, replicas, cap);
                int next = LENET_SIZES.length - 1;
                for (GradientBuckets.Bucket bucket : b.all()) {
                    assertEquals(next, bucket.first(), "contiguous, from the last parameter");
                    long floats = 0;
                    for (int p = bucket.first(); p >= bucket.last(); p--) floats += LENET_SIZES[p];
                    assertEquals(floats, bucket.floats());
                    assertTrue(bucket.first() == bucket.last() || floats <= cap, "a bucket of several parameters stays within the cap");
                    assertTrue(bucket.owner() >= 0 && bucket.owner() < replicas);
                    next = bucket.last() - 1;
                }
                assertEquals(-1, next, "every parameter in a bucket");
            }
        }
    }

    @Test
    void ownersShareTheFloatsEvenlyWhenBucketsAreSmall() {
        int[] sizes = new int[64];
        java.util.Arrays.fill(sizes, 1000);
        GradientBuckets b = GradientBuckets.of(sizes, 3, 2000);
        long[] load = new long[3];
        for (GradientBuckets.Bucket bucket : b.all()) load[bucket.owner()] += bucket.floats();
        for (long l : load) assertTrue(Math.abs(l - 64_000 / 3.0) <= 2000, java.util.Arrays.toString(load));
        Set<Integer> owners = new HashSet<>();
        for (int r = 0; r < 3; r++) b.ownedBy(r).forEach(x -> owners.add(x.owner()));
        assertEquals(Set.of(0, 1, 2), owners);
    }

    @Test
    void reducingEveryBucketGivesEveryReplicaTheWeightedSum() {
        Random random = new Random(11);
        for (int replicas = 1; replicas <= 3; replicas++) {
            double[] weights = new double[replicas];
            for (int r = 0; r < replicas; r++) weights[r] = (r + 1.0) / (replicas * (replicas + 1) / 2.0);
            List<FloatBuffer[]> grads = new ArrayList<>();
            List<float[][]> copies = new ArrayList<>();
            for (int r = 0; r < replicas; r++) {
                FloatBuffer[] views = new FloatBuffer[LENET_SIZES.length];
                float[][] copy = new float[LENET_SIZES.length][];
                for (int p = 0; p < LENET_SIZES.length; p++) {
                    float[] g = new float[LENET_SIZES[p]];
                    for (int k = 0; k < g.length; k++) g[k] = (float) random.nextGaussian();
                    copy[p] = g.clone();
                    views[p] = FloatBuffer.wrap(g);
                }
                grads.add(views);
                copies.add(copy);
            }
            GradientBuckets buckets = GradientBuckets.of(LENET_SIZES, replicas, 3000);
            for (int owner = replicas - 1; owner >= 0; owner--) {
                for (GradientBuckets.Bucket b : buckets.ownedBy(owner)) GradientAllReduce.reduce(b, grads, weights);
            }
            for (int p = 0; p < LENET_SIZES.length; p++) {
                float[] want = new float[LENET_SIZES[p]];
                for (int k = 0; k < want.length; k++) {
                    double acc = 0;
                    for (int r = 0; r < replicas; r++) acc += weights[r] * copies.get(r)[p][k];
                    want[k] = (float) acc;
                }
                for (int r = 0; r < replicas; r++) assertArrayEquals(want, grads.get(r)[p].array(), "replica " + r + " parameter " + p);
            }
        }
    }
}
