package dev.clpipe.face.cluster;

import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.face.search.Neighbors;
import java.util.ArrayList;
import java.util.List;

/**
 * FINCH (Sarfraz, Sharma and Stiefelhagen, "Efficient parameter-free clustering using first
 * neighbor relations", CVPR 2019): link every face to its first neighbour (two faces also join
 * when they share a first neighbour, which connected components of the i - nn(i) links already
 * give), take connected components, replace each cluster by its mean, and repeat on the means.
 * Each round gives a coarser partition; the hierarchy ends when one cluster is left or nothing
 * merges. No threshold, no k.
 *
 * <p>{@code maxLink} (use +inf for the paper's algorithm) drops first-neighbour links longer than
 * it: the paper's hierarchy has no stopping rule of its own, and its second round already joins
 * different people of an event; with the adaptive threshold as guard the rounds stop by
 * themselves at the partition where no cluster's nearest other cluster is within it
 * (docs/face-clustering.md measures both).
 */
public final class Finch {
    private final KnnSearch search;
    private final double maxLink;

    public Finch(KnnSearch search, double maxLink) {
        if (!(maxLink > 0)) throw new IllegalArgumentException("FINCH link limit must be > 0, got " + maxLink);
        this.search = search;
        this.maxLink = maxLink;
    }

    /** The partitions, finest first (round 1 = first-neighbour components of the faces); never empty for n >= 1. */
    public List<Clustering> partitions(Embeddings points) {
        int n = points.size();
        List<Clustering> out = new ArrayList<>();
        if (n == 0) return out;
        int[] label = new int[n];
        for (int i = 0; i < n; i++) label[i] = i;
        Embeddings level = points;
        int clusters = n;
        while (clusters > 1) {
            int[] merged = firstNeighbourComponents(level);
            int next = 0;
            for (int m : merged) next = Math.max(next, m + 1);
            if (next == clusters) break;
            for (int i = 0; i < n; i++) label[i] = merged[label[i]];
            Clustering c = Clustering.relabel(label);
            out.add(c);
            clusters = c.clusters();
            label = c.labels();
            level = means(points, label, clusters);
        }
        if (out.isEmpty()) out.add(Clustering.relabel(label));
        return out;
    }

    /** The last (coarsest) partition: with a finite {@code maxLink}, the one where no link is left to follow. */
    public Clustering cluster(Embeddings points) {
        List<Clustering> p = partitions(points);
        return p.isEmpty() ? new Clustering(new int[0], 0) : p.get(p.size() - 1);
    }

    /** Components of the links row - first neighbour (within maxLink), labelled 0..m-1. */
    private int[] firstNeighbourComponents(Embeddings level) {
        int m = level.size();
        UnionFind uf = new UnionFind(m);
        if (m > 1) {
            Neighbors nb = search.graph(level, 1, Double.isInfinite(maxLink) ? Double.POSITIVE_INFINITY : maxLink);
            for (int i = 0; i < m; i++) {
                if (nb.count(i) > 0 && nb.distance(i, 0) < maxLink) uf.union(i, nb.neighbor(i, 0));
            }
        }
        return uf.labels();
    }

    /** Mean descriptor of each cluster. */
    static Embeddings means(Embeddings points, int[] label, int clusters) {
        int d = points.dim();
        double[] sum = new double[clusters * d];
        int[] count = new int[clusters];
        float[] data = points.data();
        for (int i = 0; i < label.length; i++) {
            count[label[i]]++;
            for (int k = 0; k < d; k++) sum[label[i] * d + k] += data[i * d + k];
        }
        Embeddings out = new Embeddings(d, clusters);
        for (int c = 0; c < clusters; c++) {
            float[] v = new float[d];
            for (int k = 0; k < d; k++) v[k] = (float) (sum[c * d + k] / count[c]);
            out.add(v);
        }
        return out;
    }
}
