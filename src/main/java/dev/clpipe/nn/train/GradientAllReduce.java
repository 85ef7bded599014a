package dev.clpipe.nn.train;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * The all-reduce of a data-parallel step, done in place in the replicas' mapped gradient buffers:
 * every float becomes {@code sum over replicas of weight_r * g_r} (accumulated in double, in
 * replica order, so the result does not depend on which replica reduces it). Each replica's
 * thread reduces the buckets it owns and writes the sum straight into every replica's buffer,
 * so there is no gather into a host array and no copy back: a reduce-scatter and all-gather in
 * one pass over shared memory, run by all replicas at once.
 */
final class GradientAllReduce {
    private GradientAllReduce() {}

    /**
     * Reduces {@code bucket}: {@code grads.get(r)[p]} is replica r's mapped gradient of trainable
     * parameter p, {@code weights[r]} its rows / batch.
     */
    static void reduce(GradientBuckets.Bucket bucket, List<FloatBuffer[]> grads, double[] weights) {
        int replicas = grads.size();
        FloatBuffer[] views = new FloatBuffer[replicas];
        for (int p = bucket.first(); p >= bucket.last(); p--) {
            for (int r = 0; r < replicas; r++) views[r] = grads.get(r)[p];
            int n = views[0].capacity();
            for (int k = 0; k < n; k++) {
                double acc = 0;
                for (int r = 0; r < replicas; r++) acc += weights[r] * views[r].get(k);
                float sum = (float) acc;
                for (int r = 0; r < replicas; r++) views[r].put(k, sum);
            }
        }
    }
}
