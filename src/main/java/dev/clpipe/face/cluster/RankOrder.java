package dev.clpipe.face.cluster;

import dev.clpipe.face.search.Neighbors;

/**
 * Approximate rank-order clustering (Otto, Wang and Jain, "Clustering millions of faces by
 * identity", TPAMI 2018): faces a and b are alike when they share their nearest neighbours, not
 * merely when they are close. With {@code f_a(i)} the i-th entry of a's top-k list (a itself at
 * rank 0) and {@code O_a(b)} b's rank in it,
 * {@code d(a,b) = sum_{i <= O_a(b)} [f_a(i) not in b's top-k]},
 * {@code D(a,b) = (d(a,b) + d(b,a)) / min(O_a(b), O_b(a))}, where a face missing from a list
 * ranks k. Only pairs of a list are scored (the approximation that makes it O(n k^2)); pairs with
 * {@code D < rankThreshold} and Euclidean distance below {@code maxDistance} are merged
 * transitively in one pass.
 */
public final class RankOrder {
    /**
     * @param rankThreshold merge pairs whose normalised rank-order distance is below this
     * @param maxDistance   ... and whose descriptor distance is below this (+inf: rank only, as the paper)
     */
    public record Options(double rankThreshold, double maxDistance) {
        public Options {
            if (!(rankThreshold > 0)) throw new IllegalArgumentException("rank-order threshold must be > 0, got " + rankThreshold);
            if (!(maxDistance > 0)) throw new IllegalArgumentException("rank-order distance limit must be > 0, got " + maxDistance);
        }
    }

    private final Options options;

    public RankOrder(Options options) {
        this.options = options;
    }

    /** Clusters the faces of a k-NN graph (rows = faces, self excluded; searched without a radius or a wide one). */
    public Clustering cluster(Neighbors nb) {
        int n = nb.rows();
        int k = nb.k() + 1; // lists hold the face itself at rank 0
        // rank lookup per row: small hash of neighbour -> rank, as sorted parallel arrays
        int[][] sortedIds = new int[n][];
        int[][] sortedRanks = new int[n][];
        for (int a = 0; a < n; a++) {
            int c = nb.count(a);
            long[] packed = new long[c + 1];
            packed[0] = ((long) a << 32);
            for (int r = 0; r < c; r++) packed[r + 1] = ((long) nb.neighbor(a, r) << 32) | (r + 1);
            java.util.Arrays.sort(packed);
            sortedIds[a] = new int[c + 1];
            sortedRanks[a] = new int[c + 1];
            for (int i = 0; i <= c; i++) {
                sortedIds[a][i] = (int) (packed[i] >>> 32);
                sortedRanks[a][i] = (int) packed[i];
            }
        }
        UnionFind sets = new UnionFind(n);
        for (int a = 0; a < n; a++) {
            for (int r = 0; r < nb.count(a); r++) {
                int b = nb.neighbor(a, r);
                if (!(nb.distance(a, r) < options.maxDistance())) break;
                int oab = r + 1, oba = rank(sortedIds, sortedRanks, b, a, k);
                double d = asymmetric(nb, sortedIds, a, b, oab) + asymmetric(nb, sortedIds, b, a, oba);
                if (d / Math.min(oab, oba) < options.rankThreshold()) sets.union(a, b);
            }
        }
        return Clustering.relabel(sets.labels());
    }

    /** d(a, b): entries of a's list up to b's rank that b's list lacks. */
    private static int asymmetric(Neighbors nb, int[][] ids, int a, int b, int oab) {
        int missing = 0, last = Math.min(oab, nb.count(a));
        for (int i = 0; i <= last; i++) {
            int f = i == 0 ? a : nb.neighbor(a, i - 1);
            if (java.util.Arrays.binarySearch(ids[b], f) < 0) missing++;
        }
        return missing;
    }

    /** Rank of {@code x} in {@code a}'s list (self = 0), or {@code k} when absent. */
    private static int rank(int[][] ids, int[][] ranks, int a, int x, int k) {
        int i = java.util.Arrays.binarySearch(ids[a], x);
        return i < 0 ? k : ranks[a][i];
    }
}
