package dev.clpipe.face.cluster;

import dev.clpipe.face.search.DistanceKernel;
import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.GemmDistanceKernel;
import dev.clpipe.face.search.Neighbors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Agglomerative clustering with a distance threshold (scikit-learn's
 * {@code distance_threshold}: clusters whose linkage is at or above it are never merged), run
 * on a sparse neighbour graph instead of the n x n matrix.
 *
 * <p>Why it is exact: let the graph hold, for every point, all others within radius r >= t.
 * Two clusters with no graph edge between them have every member pair at distance > r >= t,
 * so their single, complete and average linkage all exceed t: they can never merge. Only
 * cluster pairs joined by an edge are candidates. For each such pair the known edges give
 * a (sum, count, min, max) summary, merged by Lance-Williams addition when clusters merge.
 * Average linkage of a pair with unknown member pairs is bounded below by assuming the
 * unknown ones sit at r; the queue pops pairs by that lower bound, and a popped pair with
 * unknown members is then measured from the embeddings (all |A| * |B| distances, through the
 * {@link DistanceKernel}, so to float rounding) and
 * pushed back with its exact value. So every merge is the globally closest pair, as in the
 * textbook O(n^2)-memory algorithm. Complete linkage of a pair with an unknown member pair is
 * > r, hence never merged. When the graph was truncated to k neighbours per point (see
 * {@link Neighbors#truncatedRows()}) the bound can fail, and when two clusters with more than
 * 2^22 member pairs meet, their average is estimated from 2^16 sampled pairs; then the result
 * is approximate, and {@link Result#exact()} says which case occurred.
 *
 * <p>Cost: the graph search (n^2 d / 2 multiply-adds, blocked) plus O(E log E) queue work
 * plus the checks, O(sum min(|A||B|, 2^22) d) over popped average-linkage pairs; memory O(n k).
 */
public final class Agglomerative {
    /** @param maxExactPairs above this many member pairs an average-linkage check samples instead (default 2^22) */
    public record Options(Linkage linkage, double threshold, long maxExactPairs) {
        public Options {
            if (linkage == null) throw new IllegalArgumentException("agglomerative linkage is missing (single, complete or average)");
            if (!(threshold > 0)) throw new IllegalArgumentException("agglomerative threshold must be > 0, got " + threshold);
            if (maxExactPairs < 1) throw new IllegalArgumentException("agglomerative maxExactPairs must be >= 1, got " + maxExactPairs);
        }

        public Options(Linkage linkage, double threshold) {
            this(linkage, threshold, MAX_EXACT_PAIRS);
        }
    }

    /**
     * The clustering, the number of merges, average-linkage checks measured in full and by
     * sampling, and whether the result is guaranteed equal to the full-matrix algorithm.
     */
    public record Result(Clustering clustering, int merges, long exactChecks, long sampledChecks, boolean exact) {}

    /** Default: above this many member pairs an average-linkage check samples {@link #SAMPLE_PAIRS} pairs instead. */
    public static final long MAX_EXACT_PAIRS = 1L << 22;
    static final int SAMPLE_PAIRS = 1 << 16;

    private static final class Link {
        final int a;
        final int b;
        double sum;
        long count;
        double min = Double.POSITIVE_INFINITY;
        double max;
        int version;
        boolean alive = true;

        Link(int a, int b) {
            this.a = a;
            this.b = b;
        }

        int other(int c) {
            return c == a ? b : a;
        }
    }

    private record Entry(double value, int version, Link link) {}

    private static final int TILE = 256;

    private final Options options;
    private final DistanceKernel kernel;

    public Agglomerative(Options options) {
        this(options, new GemmDistanceKernel());
    }

    /** @param kernel measures the exact average linkage of candidate pairs (sqrt of GEMM squared distances) */
    public Agglomerative(Options options, DistanceKernel kernel) {
        this.options = options;
        this.kernel = kernel;
    }

    /** Clusters the points given their neighbour graph (radius must be >= the threshold). */
    public Result cluster(Embeddings points, Neighbors nb) {
        double t = options.threshold();
        double r = nb.radius();
        if (r < t) throw new IllegalArgumentException("neighbour search radius " + r + " is below the agglomerative threshold " + t);
        int n = points.size();
        List<Map<Integer, Link>> adj = new ArrayList<>(n);
        Members members = new Members(n);
        int[] size = new int[n];
        for (int i = 0; i < n; i++) {
            adj.add(new HashMap<>());
            size[i] = 1;
        }
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < nb.count(i); q++) {
                int j = nb.neighbor(i, q);
                if (j < i && hasEdge(nb, j, i)) continue; // mutual neighbours: count the pair once
                Link l = link(adj, i, j);
                add(l, nb.distance(i, q));
            }
        }
        PriorityQueue<Entry> queue = new PriorityQueue<>((x, y) -> Double.compare(x.value, y.value));
        for (int i = 0; i < n; i++) {
            for (Link l : adj.get(i).values()) if (l.a == i) push(queue, l, size, r);
        }
        int merges = 0;
        long checks = 0;
        long sampled = 0;
        while (!queue.isEmpty()) {
            Entry e = queue.poll();
            Link l = e.link;
            if (!l.alive || e.version != l.version) continue;
            if (e.value >= t) break;
            long all = (long) size[l.a] * size[l.b];
            if (options.linkage() == Linkage.AVERAGE && l.count < all) {
                if (all > options.maxExactPairs()) {
                    sampledSummary(points, members, l, all);
                    sampled++;
                } else {
                    exactSummary(points, members, l);
                    checks++;
                }
                l.version++;
                push(queue, l, size, r);
                continue;
            }
            int keep = merge(l, adj, members, size);
            merges++;
            for (Link m : adj.get(keep).values()) {
                m.version++;
                push(queue, m, size, r);
            }
        }
        int[] labels = new int[n];
        for (int c = 0; c < n; c++) {
            if (size[c] == 0) continue;
            for (int p = c; p >= 0; p = members.next[p]) labels[p] = c;
        }
        return new Result(Clustering.relabel(labels), merges, checks, sampled, nb.truncatedRows() == 0 && sampled == 0);
    }

    private static boolean hasEdge(Neighbors nb, int i, int j) {
        for (int q = 0; q < nb.count(i); q++) if (nb.neighbor(i, q) == j) return true;
        return false;
    }

    private static Link link(List<Map<Integer, Link>> adj, int i, int j) {
        Link l = adj.get(i).get(j);
        if (l == null) {
            l = new Link(Math.min(i, j), Math.max(i, j));
            adj.get(i).put(j, l);
            adj.get(j).put(i, l);
        }
        return l;
    }

    private static void add(Link l, double d) {
        l.sum += d;
        l.count++;
        l.min = Math.min(l.min, d);
        l.max = Math.max(l.max, d);
    }

    private void push(PriorityQueue<Entry> q, Link l, int[] size, double r) {
        long all = (long) size[l.a] * size[l.b];
        double v = switch (options.linkage()) {
            case SINGLE -> l.min;
            case COMPLETE -> l.count < all ? Double.POSITIVE_INFINITY : l.max;
            case AVERAGE -> (l.sum + (all - l.count) * r) / all;
        };
        if (v < options.threshold()) q.add(new Entry(v, l.version, l));
    }

    /** Measures all |A| * |B| member distances with the GEMM kernel, one 256 x 256 tile at a time. */
    private void exactSummary(Embeddings points, Members members, Link l) {
        l.sum = 0;
        l.count = 0;
        l.min = Double.POSITIVE_INFINITY;
        l.max = 0;
        Embeddings a = gather(points, members, l.a);
        Embeddings b = gather(points, members, l.b);
        float[] tile = new float[TILE * TILE];
        for (int i0 = 0; i0 < a.size(); i0 += TILE) {
            int i1 = Math.min(a.size(), i0 + TILE);
            for (int j0 = 0; j0 < b.size(); j0 += TILE) {
                int j1 = Math.min(b.size(), j0 + TILE);
                kernel.squaredDistances(a, i0, i1, b, j0, j1, tile);
                for (int e = 0; e < (i1 - i0) * (j1 - j0); e++) add(l, Math.sqrt(tile[e]));
            }
        }
    }

    /**
     * Estimates the average linkage of two big clusters from SAMPLE_PAIRS member pairs drawn
     * with a seed fixed by the pair, so runs repeat. Only reached when clusters of thousands
     * meet below the threshold, i.e. when the threshold is already merging different people.
     */
    private static void sampledSummary(Embeddings points, Members members, Link l, long all) {
        int[] a = list(members, l.a);
        int[] b = list(members, l.b);
        java.util.SplittableRandom r = new java.util.SplittableRandom(((long) l.a << 32) ^ l.b);
        double sum = 0;
        for (int s = 0; s < SAMPLE_PAIRS; s++) sum += points.distance(a[r.nextInt(a.length)], b[r.nextInt(b.length)]);
        l.sum = sum / SAMPLE_PAIRS * all;
        l.count = all;
    }

    private static int[] list(Members members, int head) {
        int n = 0;
        for (int i = head; i >= 0; i = members.next[i]) n++;
        int[] out = new int[n];
        n = 0;
        for (int i = head; i >= 0; i = members.next[i]) out[n++] = i;
        return out;
    }

    private static Embeddings gather(Embeddings points, Members members, int head) {
        Embeddings out = new Embeddings(points.dim());
        for (int i = head; i >= 0; i = members.next[i]) out.add(points.row(i));
        return out;
    }

    /** Cluster membership as linked lists threaded through the points: cluster c's list starts at point c. */
    private static final class Members {
        final int[] next;
        final int[] tail;

        Members(int n) {
            next = new int[n];
            tail = new int[n];
            for (int i = 0; i < n; i++) {
                next[i] = -1;
                tail[i] = i;
            }
        }

        void append(int keep, int gone) {
            next[tail[keep]] = gone;
            tail[keep] = tail[gone];
        }
    }

    /** Merges the cluster with fewer links into the other, adding both clusters' links to every neighbour; returns the kept id. */
    private static int merge(Link l, List<Map<Integer, Link>> adj, Members members, int[] size) {
        boolean aBigger = adj.get(l.a).size() >= adj.get(l.b).size();
        int keep = aBigger ? l.a : l.b;
        int gone = aBigger ? l.b : l.a;
        l.alive = false;
        adj.get(keep).remove(gone);
        adj.get(gone).remove(keep);
        for (Link m : adj.get(gone).values()) {
            int c = m.other(gone);
            m.alive = false;
            adj.get(c).remove(gone);
            Link target = link(adj, keep, c);
            target.sum += m.sum;
            target.count += m.count;
            target.min = Math.min(target.min, m.min);
            target.max = Math.max(target.max, m.max);
        }
        adj.set(gone, null);
        members.append(keep, gone);
        size[keep] += size[gone];
        size[gone] = 0;
        return keep;
    }
}
