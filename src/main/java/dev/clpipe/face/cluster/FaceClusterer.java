package dev.clpipe.face.cluster;

import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.IvfKnn;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.face.search.Neighbors;

/**
 * One call from embeddings to clusters: picks the threshold (given, or adaptive), builds the
 * shared k-NN graph once, runs the chosen method. Defaults come from the evaluation over many
 * differently composed real sets in docs/face-clustering.md ("Across sets"): chinese whispers
 * with linear edge weights at the embedder's calibrated distance 0.34 held on every set
 * (mean BCubed F 0.95-0.96, worst 0.88-0.92), where the adaptive threshold, read off each set,
 * failed on sets with few photos per person (BCubed F 0.12 with one photo each).
 */
public final class FaceClusterer {
    public enum Method { CHINESE_WHISPERS, DBSCAN, AVERAGE, SINGLE, COMPLETE, FINCH, RANK_ORDER }

    /**
     * @param threshold distance threshold, or NaN for {@link AdaptiveThreshold#select}
     * @param k neighbours kept per face in the graph (raise it when identities have more photos than k)
     * @param minPts DBSCAN only
     * @param seed chinese whispers order and adaptive sampling
     * @param weighting chinese whispers edge weights
     */
    public record Options(Method method, double threshold, int k, int minPts, long seed, ChineseWhispers.Weighting weighting) {
        public Options {
            if (method == null) throw new IllegalArgumentException("face clustering method is missing");
            if (!(Double.isNaN(threshold) || threshold > 0)) throw new IllegalArgumentException("face clustering threshold must be > 0 (or auto), got " + threshold);
            if (k < 1) throw new IllegalArgumentException("face clustering k must be >= 1, got " + k);
            if (minPts < 1) throw new IllegalArgumentException("face clustering minPts must be >= 1, got " + minPts);
            if (weighting == null) throw new IllegalArgumentException("chinese whispers weighting is missing");
        }

        /** Chinese whispers, linear weights, threshold {@link #CALIBRATED_THRESHOLD}, k = 48, seed 0. */
        public static Options defaults() {
            return new Options(Method.CHINESE_WHISPERS, CALIBRATED_THRESHOLD, 48, 2, 0, ChineseWhispers.Weighting.LINEAR);
        }

        public Options withMethod(Method m) {
            return new Options(m, threshold, k, minPts, seed, weighting);
        }

        /** A distance, or NaN for the adaptive threshold. */
        public Options withThreshold(double t) {
            return new Options(method, t, k, minPts, seed, weighting);
        }

        public Options withWeighting(ChineseWhispers.Weighting w) {
            return new Options(method, threshold, k, minPts, seed, w);
        }
    }

    /** The clustering, the threshold used, and the graph rows that hit the k cap (0 = exact graph). */
    public record Result(Clustering clustering, double threshold, int truncatedRows) {}

    /**
     * face-api descriptors (mirror-averaged or not) of one person sit below this, different people
     * above it, with the fewest errors on the identity set (best verification threshold 0.344);
     * a property of the embedder, so it holds whatever the set's composition.
     */
    public static final double CALIBRATED_THRESHOLD = 0.34;

    /**
     * Rank-order: lists of 10 and a normalised rank distance below 1.0 (best of k 5/10/20 x 1.0/1.6
     * on the identity sets, docs/face-clustering.md "Across sets"); longer lists than a person's
     * photo count make different people share neighbours, which the rank distance cannot see.
     */
    public static final double RANK_THRESHOLD = 1.0;
    public static final int RANK_K = 10;

    /**
     * From this many faces on, a clusterer given an {@link IvfKnn} builds the chinese whispers /
     * DBSCAN / agglomerative graph approximately: below it the exact search takes seconds anyway
     * (20,000 faces: about 5 s of host GEMM on this machine), above it grows as n^2.
     */
    public static final int APPROXIMATE_FROM = 20_000;

    private final KnnSearch search;
    private final IvfKnn approximate;
    private final int approximateFrom;

    public FaceClusterer(KnnSearch search) {
        this(search, null);
    }

    /** @param approximate the IVF graph search used from {@link #APPROXIMATE_FROM} faces on, or null for exact search always */
    public FaceClusterer(KnnSearch search, IvfKnn approximate) {
        this(search, approximate, APPROXIMATE_FROM);
    }

    /** @param approximateFrom the set size from which {@code approximate} builds the graph */
    public FaceClusterer(KnnSearch search, IvfKnn approximate, int approximateFrom) {
        if (approximateFrom < 2) throw new IllegalArgumentException("the approximate graph needs >= 2 faces, got " + approximateFrom);
        this.search = search;
        this.approximate = approximate;
        this.approximateFrom = approximateFrom;
    }

    /** Whether a set of n faces gets the approximate graph. */
    public boolean approximates(int n) {
        return approximate != null && n >= approximateFrom;
    }

    public static FaceClusterer defaults() {
        return new FaceClusterer(KnnSearch.defaults());
    }

    public Result cluster(Embeddings points, Options o) {
        if (points.size() == 0) return new Result(new Clustering(new int[0], 0), o.threshold(), 0);
        double t = Double.isNaN(o.threshold()) ? AdaptiveThreshold.select(points, search, o.seed()).threshold() : o.threshold();
        if (points.size() == 1) return new Result(new Clustering(new int[] {0}, 1), t, 0);
        if (o.method() == Method.FINCH) return new Result(new Finch(search, t).cluster(points), t, 0);
        if (o.method() == Method.RANK_ORDER) {
            Neighbors lists = search.graph(points, Math.min(o.k(), RANK_K), Double.POSITIVE_INFINITY);
            return new Result(new RankOrder(new RankOrder.Options(RANK_THRESHOLD, t)).cluster(lists), t, 0);
        }
        Neighbors nb = graph(points, o.k(), t);
        return new Result(clusterGraph(points, nb, o, t), t, nb.truncatedRows());
    }

    /** The graph {@link #cluster} builds: each face's k nearest within t, approximate from the size given at construction on when given an IVF search. */
    public Neighbors graph(Embeddings points, int k, double t) {
        return approximates(points.size()) ? approximate.graph(points, k, t) : search.graph(points, k, t);
    }

    /** Chinese whispers, DBSCAN or a linkage over a graph {@link #graph} built with threshold t. */
    public Clustering clusterGraph(Embeddings points, Neighbors nb, Options o, double t) {
        return switch (o.method()) {
            case CHINESE_WHISPERS -> new ChineseWhispers(new ChineseWhispers.Options(100, o.seed(), o.weighting(), t))
                    .cluster(NeighborGraph.fromNeighbors(nb, t));
            case DBSCAN -> new Dbscan(new Dbscan.Options(t, o.minPts())).cluster(nb);
            case AVERAGE -> new Agglomerative(new Agglomerative.Options(Linkage.AVERAGE, t)).cluster(points, nb).clustering();
            case SINGLE -> new Agglomerative(new Agglomerative.Options(Linkage.SINGLE, t)).cluster(points, nb).clustering();
            case COMPLETE -> new Agglomerative(new Agglomerative.Options(Linkage.COMPLETE, t)).cluster(points, nb).clustering();
            case FINCH, RANK_ORDER -> throw new IllegalArgumentException(o.method() + " builds its own graph");
        };
    }

    /**
     * Clusters {@code added} faces in the light of an earlier clustering (chinese whispers only):
     * the earlier faces keep their labels (cluster ids), each new face joins the old cluster its
     * neighbours under the threshold vote for, and new faces that meet none form new clusters
     * numbered after the largest old id ({@link ChineseWhispers#extend}). Returns the labels of
     * the added faces.
     */
    public int[] continueFrom(Embeddings previous, int[] previousLabels, Embeddings added, Options o) {
        if (o.method() != Method.CHINESE_WHISPERS) throw new IllegalArgumentException("continuing an earlier clustering needs method chinese-whispers, got " + o.method());
        if (previous.size() != previousLabels.length) throw new IllegalArgumentException(previousLabels.length + " labels for " + previous.size() + " earlier faces");
        if (added.size() == 0) return new int[0];
        if (previous.size() > 0 && previous.dim() != added.dim()) {
            throw new IllegalArgumentException("earlier faces have " + previous.dim() + "-value embeddings, new ones " + added.dim());
        }
        Embeddings all = new Embeddings(added.dim(), previous.size() + added.size());
        for (int i = 0; i < previous.size(); i++) all.add(previous.row(i));
        for (int i = 0; i < added.size(); i++) all.add(added.row(i));
        double t = Double.isNaN(o.threshold()) ? AdaptiveThreshold.select(all, search, o.seed()).threshold() : o.threshold();
        int[] labels;
        if (all.size() == 1) {
            labels = new int[] {0};
        } else {
            Neighbors nb = graph(all, o.k(), t);
            labels = new ChineseWhispers(new ChineseWhispers.Options(100, o.seed(), o.weighting(), t))
                    .extend(NeighborGraph.fromNeighbors(nb, t), previousLabels, previous.size());
        }
        return java.util.Arrays.copyOfRange(labels, previous.size(), all.size());
    }
}
