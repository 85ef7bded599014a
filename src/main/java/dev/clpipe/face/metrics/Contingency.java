package dev.clpipe.face.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * The contingency table between true identities and predicted clusters, the shared input of
 * every clustering metric. Unclustered faces (predicted label < 0) each count as a singleton
 * cluster of their own: leaving a face out is never rewarded as a correct grouping.
 */
public final class Contingency {
    final int n;
    /** Sizes of the true classes. */
    final long[] classSizes;
    /** Sizes of the predicted clusters (unclustered faces as singletons). */
    final long[] clusterSizes;
    /** Non-zero cells: cells[c] = {classIndex, clusterIndex, count}. */
    final long[][] cells;

    public Contingency(int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth has " + truth.length + " labels, prediction " + predicted.length);
        }
        n = truth.length;
        Map<Integer, Integer> classes = new HashMap<>();
        Map<Integer, Integer> clusters = new HashMap<>();
        Map<Long, long[]> table = new HashMap<>();
        int singleton = 0;
        int[] cls = new int[n];
        int[] clu = new int[n];
        for (int i = 0; i < n; i++) {
            cls[i] = classes.computeIfAbsent(truth[i], x -> classes.size());
            // unclustered faces get fresh negative keys, one each (real cluster labels are >= 0)
            int key = predicted[i] < 0 ? Integer.MIN_VALUE + singleton++ : predicted[i];
            clu[i] = clusters.computeIfAbsent(key, x -> clusters.size());
        }
        classSizes = new long[classes.size()];
        clusterSizes = new long[clusters.size()];
        for (int i = 0; i < n; i++) {
            classSizes[cls[i]]++;
            clusterSizes[clu[i]]++;
            table.computeIfAbsent(((long) cls[i] << 32) | clu[i], k -> new long[3])[2]++;
        }
        cells = new long[table.size()][];
        int c = 0;
        for (Map.Entry<Long, long[]> e : table.entrySet()) {
            long key = e.getKey();
            cells[c++] = new long[] {key >>> 32, key & 0xffffffffL, e.getValue()[2]};
        }
    }

    public int size() {
        return n;
    }

    public int classes() {
        return classSizes.length;
    }

    /** Predicted clusters, counting each unclustered face as one. */
    public int clusters() {
        return clusterSizes.length;
    }

    static double pairs(long m) {
        return m * (m - 1) / 2.0;
    }
}
