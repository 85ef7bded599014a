package dev.clpipe.face.verify;

import dev.clpipe.nn.ops.Philox;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Labelled verification pairs drawn from a set of embeddings: {@code perKind} same-identity
 * pairs and as many different-identity pairs (balanced, so chance accuracy is 50%), each with
 * its Euclidean distance. Draws are Philox values of (seed, pair index, attempt), so the same
 * inputs give the same pairs.
 */
public record VerificationPairs(double[] distances, boolean[] same) {
    private static final int TAG = 0x7a1;

    public static VerificationPairs sample(float[] embeddings, int dim, int[] labels, int perKind, long seed) {
        if (embeddings.length != labels.length * dim) {
            throw new IllegalArgumentException(embeddings.length + " embedding values for " + labels.length + " labels of dim " + dim);
        }
        if (perKind < 1) throw new IllegalArgumentException("pairs per kind must be >= 1, got " + perKind);
        List<int[]> classes = groups(labels);
        List<int[]> withPairs = classes.stream().filter(g -> g.length >= 2).toList();
        if (withPairs.isEmpty() || classes.size() < 2) {
            throw new IllegalArgumentException("verification pairs need two identities and one with at least two images (got "
                    + classes.size() + " identities)");
        }
        double[] d = new double[2 * perKind];
        boolean[] same = new boolean[2 * perKind];
        int n = labels.length;
        for (int k = 0; k < perKind; k++) {
            int[] g = withPairs.get(below(seed, k, 0, withPairs.size()));
            int i = g[below(seed, k, 1, g.length)];
            int j = g[below(seed, k, 2, g.length - 1)];
            if (j == i) j = g[g.length - 1];
            d[k] = distance(embeddings, dim, i, j);
            same[k] = true;
        }
        for (int k = 0; k < perKind; k++) {
            int i = below(seed, perKind + k, 0, n);
            int j = i;
            for (int attempt = 1; labels[j] == labels[i]; attempt++) j = below(seed, perKind + k, attempt, n);
            d[perKind + k] = distance(embeddings, dim, i, j);
        }
        return new VerificationPairs(d, same);
    }

    public RocCurve roc() {
        return new RocCurve(distances, same);
    }

    /** A value in [0, bound) from counter (pair, slot). */
    static int below(long seed, int pair, int slot, int bound) {
        int[] w = Philox.philox4x32(pair, slot, TAG, 0, (int) seed, (int) (seed >>> 32));
        long r = ((w[0] & 0xFFFFFFFFL) << 32 | (w[1] & 0xFFFFFFFFL)) >>> 1;
        return (int) (r % bound);
    }

    static double distance(float[] e, int dim, int i, int j) {
        double s = 0;
        for (int k = 0; k < dim; k++) {
            double t = (double) e[i * dim + k] - e[j * dim + k];
            s += t * t;
        }
        return Math.sqrt(s);
    }

    /** Row indices per label, labels ascending. */
    static List<int[]> groups(int[] labels) {
        TreeMap<Integer, List<Integer>> by = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) by.computeIfAbsent(labels[i], x -> new ArrayList<>()).add(i);
        List<int[]> out = new ArrayList<>();
        for (List<Integer> g : by.values()) out.add(g.stream().mapToInt(Integer::intValue).toArray());
        return out;
    }
}
