package dev.clpipe.face.bench;

import dev.clpipe.face.cluster.FaceClusterer;
import dev.clpipe.face.io.FaceRecord;
import dev.clpipe.face.io.FacesJsonl;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.face.verify.RocCurve;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which descriptor net is better? For the labelled {@code faces.jsonl} of one run per embedder
 * (same photos, same boxes; images in a subfolder per person): verification over every pair
 * (ROC AUC, equal error rate, the threshold of best accuracy) and clustering across the
 * standard sets of {@link ClusteringAcrossSets} at the clustering defaults, after scaling each
 * embedder's distances so that its calibrated threshold lands on
 * {@link FaceClusterer#CALIBRATED_THRESHOLD} (so the defaults mean the same for every net).
 * The threshold is the best-accuracy one of this pool unless given ({@code NAME=FILE@T}: take
 * T, e.g. calibrated on another pool). docs/face-clustering.md ("Embedders") quotes its output.
 * {@code java -cp target/clpipe.jar dev.clpipe.face.bench.EmbedderComparison face-api=RUN/faces.jsonl faceres=RUN2/faces.jsonl@0.71 ...}
 */
public final class EmbedderComparison {
    /** One embedder's scores on one pool. */
    public record Row(String name, int faces, int dim, long pairs, double auc, double eer, double bestThreshold,
                      double threshold, double meanBcubed, double worstBcubed, double meanPairwise, double worstPairwise) {}

    private EmbedderComparison() {}

    public static RocCurve allPairs(List<FaceRecord> faces, int[] identity) {
        int n = faces.size();
        double[] d = new double[n * (n - 1) / 2];
        boolean[] same = new boolean[d.length];
        int k = 0;
        for (int i = 0; i < n; i++) {
            float[] a = faces.get(i).embedding();
            for (int j = i + 1; j < n; j++, k++) {
                float[] b = faces.get(j).embedding();
                double s = 0;
                for (int c = 0; c < a.length; c++) s += (double) (a[c] - b[c]) * (a[c] - b[c]);
                d[k] = Math.sqrt(s);
                same[k] = identity[i] == identity[j];
            }
        }
        return new RocCurve(d, same);
    }

    public static Row evaluate(String name, Path facesJsonl, double threshold, long seed) throws IOException {
        List<FaceRecord> faces = FacesJsonl.read(facesJsonl);
        if (faces.isEmpty()) throw new IOException(facesJsonl + ": no faces");
        int[] identity = ClusteringAcrossSets.identities(faces);
        RocCurve roc = allPairs(faces, identity);
        double t = Double.isNaN(threshold) ? roc.bestThreshold() : threshold;
        float scale = (float) (FaceClusterer.CALIBRATED_THRESHOLD / t);
        dev.clpipe.face.search.Embeddings e = new dev.clpipe.face.search.Embeddings(faces.get(0).embedding().length);
        for (FaceRecord f : faces) {
            float[] v = f.embedding().clone();
            for (int c = 0; c < v.length; c++) v[c] *= scale;
            e.add(v);
        }
        ClusteringAcrossSets study = new ClusteringAcrossSets(e, identity);
        var sets = study.standardSets(seed);
        FaceClusterer fc = new FaceClusterer(KnnSearch.defaults());
        var defaults = new ClusteringAcrossSets.Method("defaults", x -> fc.cluster(x, FaceClusterer.Options.defaults()).clustering());
        ClusteringAcrossSets.Scores s = study.evaluate(sets, List.of(defaults)).get(0);
        long n = faces.size();
        return new Row(name, faces.size(), faces.get(0).embedding().length, n * (n - 1) / 2, roc.auc(), roc.equalErrorRate(), roc.bestThreshold(), t,
                s.mean(s.bcubed()), s.worst(s.bcubed()), s.mean(s.pairwise()), s.worst(s.pairwise()));
    }

    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| embedder | faces | dim | ROC AUC | EER | best-accuracy threshold | threshold used | mean BCubed F | worst | mean pairwise F | worst |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.4f | %.4f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n", r.name(), r.faces(), r.dim(),
                    r.auc(), r.eer(), r.bestThreshold(), r.threshold(), r.meanBcubed(), r.worstBcubed(), r.meanPairwise(), r.worstPairwise()));
        }
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: EmbedderComparison NAME=faces.jsonl[@THRESHOLD] ...");
            System.exit(2);
        }
        List<Row> rows = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('='), at = a.lastIndexOf('@');
            String name = a.substring(0, eq);
            String file = at > eq ? a.substring(eq + 1, at) : a.substring(eq + 1);
            double t = at > eq ? Double.parseDouble(a.substring(at + 1)) : Double.NaN;
            rows.add(evaluate(name, Path.of(file), t, 42));
        }
        System.out.print(table(rows));
    }
}
