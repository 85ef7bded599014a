package dev.clpipe.face.cluster;

import java.util.SplittableRandom;

/**
 * Chinese whispers graph clustering (Biemann 2006), following dlib's {@code chinese_whispers}:
 * every node starts in its own cluster; {@code iterations * n} times a node is drawn at random
 * (seeded, so the result is deterministic) and takes the label with the largest total edge
 * weight among its neighbours; ties go to the smallest label (dlib's std::map order). With
 * unit weights each node also votes for itself with weight 1, as dlib's face clustering does
 * (it adds the i-i edge); with distance weights it does not (Biemann's original), since a
 * self-vote of 1 would outweigh every single neighbour and freeze the initial labels.
 *
 * <p>Cost: O(iterations * edges); no threshold of its own: the graph's edges decide.
 */
public final class ChineseWhispers {
    /** How an edge of distance d votes. */
    public enum Weighting {
        /** Every edge votes 1 (dlib's face clustering example). */
        UNIT,
        /** Closer faces vote more: w = 1 - d / (2 * threshold), in (0.5, 1] for edges under the threshold. */
        LINEAR
    }

    public record Options(int iterations, long seed, Weighting weighting, double threshold) {
        public Options {
            if (iterations < 1) throw new IllegalArgumentException("chinese whispers iterations must be >= 1, got " + iterations);
            if (!(threshold > 0)) throw new IllegalArgumentException("chinese whispers threshold must be > 0, got " + threshold);
        }

        /** dlib's defaults: 100 iterations, unit weights. */
        public static Options defaults(double threshold) {
            return new Options(100, 0, Weighting.UNIT, threshold);
        }
    }

    private final Options options;

    public ChineseWhispers(Options options) {
        this.options = options;
    }

    public Clustering cluster(NeighborGraph g) {
        int n = g.nodes();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i;
        if (n == 0) return new Clustering(labels, 0);
        double[] score = new double[n];
        int[] touched = new int[n + 1];
        SplittableRandom rnd = new SplittableRandom(options.seed());
        long steps = (long) options.iterations() * n;
        for (long s = 0; s < steps; s++) {
            int v = rnd.nextInt(n);
            labels[v] = vote(g, labels, v, score, touched);
        }
        return Clustering.relabel(labels);
    }

    /**
     * Continues an earlier clustering: nodes [0, pinned) keep {@code previous[i]} (a cluster id
     * >= 0, or -1 = unclustered, which takes no part), nodes [pinned, n) are new. Only new nodes
     * are drawn ({@code iterations} times each on average) and take the label with the largest
     * weight among their neighbours, old labels included, so a new face joins the cluster of the
     * old faces it sits among; new faces that meet no old cluster form clusters of their own,
     * numbered from max(previous) + 1 in order of their first node. Old labels never change.
     */
    public int[] extend(NeighborGraph g, int[] previous, int pinned) {
        int n = g.nodes();
        if (pinned > n || previous.length < pinned) throw new IllegalArgumentException(pinned + " pinned nodes of " + n);
        int next = 0;
        for (int i = 0; i < pinned; i++) next = Math.max(next, previous[i] + 1);
        int fresh = next;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i < pinned ? previous[i] : fresh + (i - pinned);
        int free = n - pinned;
        if (free == 0) return labels;
        double[] score = new double[fresh + free];
        int[] touched = new int[n + 1];
        SplittableRandom rnd = new SplittableRandom(options.seed());
        long steps = (long) options.iterations() * free;
        for (long s = 0; s < steps; s++) {
            int v = pinned + rnd.nextInt(free);
            labels[v] = vote(g, labels, v, score, touched);
        }
        // new clusters: dense ids after the old ones, in order of first appearance
        int[] map = new int[free];
        java.util.Arrays.fill(map, -1);
        for (int i = pinned; i < n; i++) {
            if (labels[i] < fresh) continue;
            int k = labels[i] - fresh;
            if (map[k] < 0) map[k] = next++;
            labels[i] = map[k];
        }
        return labels;
    }

    /**
     * The label node v takes: the largest total edge weight among its neighbours' labels (plus a
     * self-vote of 1 with unit weights), ties to the smallest label; -1 labels vote for nothing.
     * {@code score} must be all zero on entry and is left so.
     */
    private int vote(NeighborGraph g, int[] labels, int v, double[] score, int[] touched) {
        int deg = g.degree(v);
        if (deg == 0) return labels[v];
        int t = 0;
        boolean selfVote = options.weighting() == Weighting.UNIT;
        if (selfVote) {
            touched[t++] = labels[v];
            score[labels[v]] = 1.0;
        }
        int start = g.start(v);
        for (int e = start; e < start + deg; e++) {
            int l = labels[g.target(e)];
            if (l < 0) continue;
            if (score[l] == 0 && !(selfVote && l == labels[v])) touched[t++] = l;
            score[l] += weight(g.distance(e));
        }
        int best = labels[v];
        double bestScore = -1;
        for (int q = 0; q < t; q++) {
            int l = touched[q];
            if (score[l] > bestScore || (score[l] == bestScore && l < best)) {
                bestScore = score[l];
                best = l;
            }
            score[l] = 0;
        }
        return best;
    }

    private double weight(float d) {
        return options.weighting() == Weighting.UNIT ? 1.0 : 1.0 - d / (2 * options.threshold());
    }
}
