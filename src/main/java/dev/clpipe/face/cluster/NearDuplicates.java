package dev.clpipe.face.cluster;

import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.face.search.Neighbors;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Collapses near-duplicate faces (the same photo saved many times, burst shots) before
 * clustering. Thousands of copies would otherwise fill every k-NN row with copies of themselves
 * (hiding real neighbours) and pile up at d ~ 0 in the adaptive threshold's sample. Exact copies
 * are merged by hashing first (a flood of identical vectors would fill any k-NN row with itself);
 * the distinct vectors are then joined along the edges of their k-NN graph within {@code eps}
 * (connected components, i.e. single linkage at eps). Each group is represented by its first face.
 */
public final class NearDuplicates {
    /** {@code representative[i]}: index in {@code kept} of face i's group; {@code kept}: one face per group. */
    public record Collapse(int[] representative, Embeddings kept, int duplicates) {
        /** Labels of the kept faces spread back to all faces. */
        public Clustering expand(Clustering ofKept) {
            int[] labels = new int[representative.length];
            for (int i = 0; i < labels.length; i++) labels[i] = ofKept.label(representative[i]);
            return new Clustering(labels, ofKept.clusters());
        }
    }

    private NearDuplicates() {}

    public static Collapse collapse(Embeddings points, double eps, KnnSearch search) {
        int n = points.size();
        UnionFind sets = new UnionFind(n);
        if (n > 1 && eps > 0) {
            Map<Key, Integer> firstCopy = new HashMap<>();
            Embeddings distinct = new Embeddings(points.dim());
            int[] distinctIndex = new int[n];
            int[] originalOf = new int[n];
            for (int i = 0; i < n; i++) {
                Integer f = firstCopy.putIfAbsent(new Key(points.row(i)), i);
                if (f != null) {
                    sets.union(i, f);
                } else {
                    originalOf[distinct.size()] = i;
                    distinctIndex[i] = distinct.add(points.row(i));
                }
            }
            if (distinct.size() > 1) {
                Neighbors nb = search.graph(distinct, 16, eps);
                for (int a = 0; a < nb.rows(); a++) {
                    for (int r = 0; r < nb.count(a); r++) sets.union(originalOf[a], originalOf[nb.neighbor(a, r)]);
                }
            }
        }
        int[] rep = new int[n];
        Embeddings kept = new Embeddings(points.dim());
        int[] keptOf = new int[n];
        Arrays.fill(keptOf, -1);
        int dups = 0;
        for (int i = 0; i < n; i++) {
            int root = sets.find(i);
            if (keptOf[root] < 0) keptOf[root] = kept.add(points.row(root));
            else dups++;
            rep[i] = keptOf[root];
        }
        return new Collapse(rep, kept, dups);
    }

    private record Key(float[] v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(v, k.v);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(v);
        }
    }
}
