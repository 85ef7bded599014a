package dev.clpipe.face.cluster;

import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.face.search.Neighbors;

/**
 * One call from embeddings to clusters: picks the threshold (given, or adaptive), builds the
 * shared k-NN graph once, runs the chosen method. Defaults come from the benchmark in
 * docs/face-clustering.md: chinese whispers at the adaptive threshold was the best or
 * near-best method on both synthetic folders and lookalike events.
 */
public final class FaceClusterer {
    public enum Method { CHINESE_WHISPERS, DBSCAN, AVERAGE, SINGLE, COMPLETE }

    /**
     * @param threshold distance threshold, or NaN for {@link AdaptiveThreshold#select}
     * @param k neighbours kept per face in the graph (raise it when identities have more photos than k)
     * @param minPts DBSCAN only
     * @param seed chinese whispers order and adaptive sampling
     */
    public record Options(Method method, double threshold, int k, int minPts, long seed) {
        public Options {
            if (method == null) throw new IllegalArgumentException("face clustering method is missing");
            if (!(Double.isNaN(threshold) || threshold > 0)) throw new IllegalArgumentException("face clustering threshold must be > 0 (or auto), got " + threshold);
            if (k < 1) throw new IllegalArgumentException("face clustering k must be >= 1, got " + k);
            if (minPts < 1) throw new IllegalArgumentException("face clustering minPts must be >= 1, got " + minPts);
        }

        /** Chinese whispers, adaptive threshold, k = 48, seed 0. */
        public static Options defaults() {
            return new Options(Method.CHINESE_WHISPERS, Double.NaN, 48, 2, 0);
        }

        public Options withMethod(Method m) {
            return new Options(m, threshold, k, minPts, seed);
        }

        public Options withThreshold(double t) {
            return new Options(method, t, k, minPts, seed);
        }
    }

    /** The clustering, the threshold used, and the graph rows that hit the k cap (0 = exact graph). */
    public record Result(Clustering clustering, double threshold, int truncatedRows) {}

    private final KnnSearch search;

    public FaceClusterer(KnnSearch search) {
        this.search = search;
    }

    public static FaceClusterer defaults() {
        return new FaceClusterer(KnnSearch.defaults());
    }

    public Result cluster(Embeddings points, Options o) {
        if (points.size() == 0) return new Result(new Clustering(new int[0], 0), o.threshold(), 0);
        double t = Double.isNaN(o.threshold()) ? AdaptiveThreshold.select(points, search, o.seed()).threshold() : o.threshold();
        if (points.size() == 1) return new Result(new Clustering(new int[] {0}, 1), t, 0);
        Neighbors nb = search.graph(points, o.k(), t);
        Clustering c = switch (o.method()) {
            case CHINESE_WHISPERS -> new ChineseWhispers(new ChineseWhispers.Options(100, o.seed(), ChineseWhispers.Weighting.UNIT, t))
                    .cluster(NeighborGraph.fromNeighbors(nb, t));
            case DBSCAN -> new Dbscan(new Dbscan.Options(t, o.minPts())).cluster(nb);
            case AVERAGE -> new Agglomerative(new Agglomerative.Options(Linkage.AVERAGE, t)).cluster(points, nb).clustering();
            case SINGLE -> new Agglomerative(new Agglomerative.Options(Linkage.SINGLE, t)).cluster(points, nb).clustering();
            case COMPLETE -> new Agglomerative(new Agglomerative.Options(Linkage.COMPLETE, t)).cluster(points, nb).clustering();
        };
        return new Result(c, t, nb.truncatedRows());
    }
}
