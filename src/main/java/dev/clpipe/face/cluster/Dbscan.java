package dev.clpipe.face.cluster;

import dev.clpipe.face.search.Neighbors;

/**
 * DBSCAN (Ester et al. 1996) over precomputed eps-neighbourhoods, with scikit-learn's
 * conventions: a point is a core point when at least {@code minPts} points, itself included,
 * lie within distance eps (inclusive); clusters grow from core points in index order; border
 * points join the first cluster that reaches them; the rest is noise, labelled
 * {@link Clustering#UNCLUSTERED}.
 *
 * <p>Input: a {@link dev.clpipe.face.search.KnnSearch#graph} result with radius eps. Core-point
 * tests use the exact counts within eps; expansion uses the kept neighbour lists, so the result
 * is exact DBSCAN when {@link Neighbors#truncatedRows()} is 0 (choose k >= the largest expected
 * cluster's density), and otherwise may split a cluster whose only links were dropped.
 * Cost: O(n + edges) after the neighbour search.
 */
public final class Dbscan {
    public record Options(double eps, int minPts) {
        public Options {
            if (!(eps > 0)) throw new IllegalArgumentException("dbscan eps must be > 0, got " + eps);
            if (minPts < 1) throw new IllegalArgumentException("dbscan minPts must be >= 1, got " + minPts);
        }
    }

    private final Options options;

    public Dbscan(Options options) {
        this.options = options;
    }

    public Options options() {
        return options;
    }

    public Clustering cluster(Neighbors nb) {
        if (nb.radius() < options.eps()) {
            throw new IllegalArgumentException("neighbour search radius " + nb.radius() + " is below dbscan eps " + options.eps());
        }
        int n = nb.rows();
        boolean[] core = new boolean[n];
        for (int i = 0; i < n; i++) core[i] = countWithin(nb, i) + 1 >= options.minPts();
        int[] labels = new int[n];
        java.util.Arrays.fill(labels, Clustering.UNCLUSTERED);
        int[] stack = new int[n];
        int clusters = 0;
        for (int i = 0; i < n; i++) {
            if (!core[i] || labels[i] != Clustering.UNCLUSTERED) continue;
            int c = clusters++;
            int top = 0;
            labels[i] = c;
            stack[top++] = i;
            while (top > 0) {
                int p = stack[--top];
                if (!core[p]) continue;
                for (int r = 0; r < nb.count(p); r++) {
                    if (nb.distance(p, r) > options.eps()) break;
                    int q = nb.neighbor(p, r);
                    if (labels[q] != Clustering.UNCLUSTERED) continue;
                    labels[q] = c;
                    stack[top++] = q;
                }
            }
        }
        return new Clustering(labels, clusters);
    }

    private int countWithin(Neighbors nb, int i) {
        if (nb.radius() == options.eps()) return nb.withinRadius(i);
        int c = 0;
        for (int r = 0; r < nb.count(i); r++) if (nb.distance(i, r) <= options.eps()) c++;
        // a truncated row whose kept neighbours all lie within eps: the true count is between c and withinRadius
        return (c == nb.count(i) && nb.count(i) < nb.withinRadius(i)) ? nb.withinRadius(i) : c;
    }
}
