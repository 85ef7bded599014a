package dev.clpipe.face.cluster;

import dev.clpipe.face.search.DistanceKernel;
import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.GemmDistanceKernel;
import java.util.Arrays;

/**
 * Adds new faces to an existing clustering without recomputing it: each new embedding joins
 * the cluster with the smallest average-linkage distance (mean distance to the cluster's
 * members) when that is below the threshold, and otherwise opens a new cluster. Faces added
 * earlier in the same call count as members for later ones, so the result equals adding them
 * one at a time in order. Unclustered (-1) faces of the initial clustering are not members of
 * any cluster and are ignored.
 *
 * <p>Cost per new face: n * d multiply-adds against the n faces held (blocked through the
 * {@link DistanceKernel}, 64 new faces per pass) plus O(clusters); memory O(n + clusters).
 * Existing assignments never change: merging two old clusters needs a full re-run.
 */
public final class IncrementalClusterer {
    private static final int CHUNK = 64;
    private static final int PANEL = 1024;

    private final double threshold;
    private final DistanceKernel kernel;
    private final Embeddings points;
    private int[] labels;
    private int clusters;
    private int[] clusterSize;

    public IncrementalClusterer(Embeddings points, Clustering initial, double threshold) {
        this(points, initial, threshold, new GemmDistanceKernel());
    }

    public IncrementalClusterer(Embeddings points, Clustering initial, double threshold, DistanceKernel kernel) {
        if (initial.size() != points.size()) {
            throw new IllegalArgumentException("clustering has " + initial.size() + " labels for " + points.size() + " embeddings");
        }
        if (!(threshold > 0)) throw new IllegalArgumentException("incremental threshold must be > 0, got " + threshold);
        this.threshold = threshold;
        this.kernel = kernel;
        this.points = points.slice(0, points.size());
        this.labels = Arrays.copyOf(initial.labels(), Math.max(16, points.size()));
        this.clusters = initial.clusters();
        this.clusterSize = Arrays.copyOf(initial.sizes(), Math.max(16, clusters));
    }

    /** Adds one face; returns its cluster. */
    public int add(float[] embedding) {
        return addAll(Embeddings.of(embedding))[0];
    }

    /** Adds the faces in order; returns their clusters. */
    public int[] addAll(Embeddings batch) {
        if (batch.dim() != points.dim()) throw new IllegalArgumentException("dimension " + batch.dim() + " != " + points.dim());
        int[] out = new int[batch.size()];
        float[] tile = new float[CHUNK * PANEL];
        for (int c0 = 0; c0 < batch.size(); c0 += CHUNK) {
            int c1 = Math.min(batch.size(), c0 + CHUNK);
            int held = points.size();
            double[][] sums = new double[c1 - c0][];
            for (int q = 0; q < sums.length; q++) sums[q] = new double[clusters + CHUNK];
            // distances to the faces held before this chunk, one GEMM tile at a time
            for (int b0 = 0; b0 < held; b0 += PANEL) {
                int b1 = Math.min(held, b0 + PANEL);
                kernel.squaredDistances(batch, c0, c1, points, b0, b1, tile);
                int w = b1 - b0;
                for (int q = 0; q < c1 - c0; q++) {
                    for (int j = 0; j < w; j++) {
                        int l = labels[b0 + j];
                        if (l >= 0) sums[q][l] += Math.sqrt(tile[q * w + j]);
                    }
                }
            }
            for (int q = c0; q < c1; q++) {
                double[] s = sums[q - c0];
                if (s.length < clusters) s = Arrays.copyOf(s, clusters);
                // faces added earlier in this chunk
                for (int j = held; j < points.size(); j++) s[labels[j]] += points.distanceTo(j, batch.row(q));
                int best = -1;
                double bestAvg = Double.POSITIVE_INFINITY;
                for (int c = 0; c < clusters; c++) {
                    if (clusterSize[c] == 0) continue;
                    double avg = s[c] / clusterSize[c];
                    if (avg < bestAvg) {
                        bestAvg = avg;
                        best = c;
                    }
                }
                int label = bestAvg < threshold ? best : newCluster();
                append(batch.row(q), label);
                out[q] = label;
            }
        }
        return out;
    }

    public Clustering clustering() {
        return new Clustering(Arrays.copyOf(labels, points.size()), clusters);
    }

    public int size() {
        return points.size();
    }

    private int newCluster() {
        if (clusters == clusterSize.length) clusterSize = Arrays.copyOf(clusterSize, clusters * 2);
        return clusters++;
    }

    private void append(float[] v, int label) {
        int i = points.add(v);
        if (i == labels.length) labels = Arrays.copyOf(labels, labels.length * 2);
        labels[i] = label;
        clusterSize[label]++;
    }
}
