package dev.clpipe.face.bench;

import dev.clpipe.face.cluster.AdaptiveThreshold;
import dev.clpipe.face.cluster.FaceClusterer;
import dev.clpipe.face.metrics.ClusterScores;
import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.face.verify.RocCurve;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The clustering-defaults study on real descriptors: reads a {@code faces.jsonl} whose images
 * sit in a subfolder per person, prints the same/different distance statistics, verification
 * ROC numbers, and a markdown table of every method at fixed thresholds and at the adaptive one
 * (docs/face-clustering.md quotes its output).
 * {@code java -cp target/clpipe.jar dev.clpipe.face.bench.FaceClusteringStudy RUN/faces.jsonl [LABEL]}
 */
public final class FaceClusteringStudy {
    private FaceClusteringStudy() {}

    public static void main(String[] args) throws IOException {
        String label = args.length > 1 ? args[1] : Path.of(args[0]).getParent().getFileName().toString();
        ClusteringAcrossSets pool = ClusteringAcrossSets.read(Path.of(args[0]));
        Embeddings e = pool.pool();
        int[] truth = pool.identity();
        int people = pool.people();
        List<Double> dist = new ArrayList<>();
        List<Boolean> same = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            for (int j = i + 1; j < e.size(); j++) {
                dist.add(e.distance(i, j));
                same.add(truth[i] == truth[j]);
            }
        }
        double[] d = dist.stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] s = new boolean[same.size()];
        for (int i = 0; i < s.length; i++) s[i] = same.get(i);
        RocCurve roc = new RocCurve(d, s);
        long diffBelow = 0, diff = 0;
        for (int i = 0; i < d.length; i++) if (!s[i]) { diff++; if (d[i] < 0.6) diffBelow++; }
        System.out.printf(Locale.ROOT, "%s: %d faces, %d identities; different-person pairs below 0.6: %.1f %%%n",
                label, e.size(), people, 100.0 * diffBelow / diff);
        System.out.printf(Locale.ROOT, "verification: AUC %.4f, accuracy at 0.6 %.3f, best threshold %.3f (accuracy %.3f), EER %.3f%n",
                roc.auc(), roc.accuracyAt(0.6), roc.bestThreshold(), roc.accuracyAt(roc.bestThreshold()), roc.equalErrorRate());
        KnnSearch search = KnnSearch.defaults();
        AdaptiveThreshold.Choice c = AdaptiveThreshold.select(e, search, 0);
        System.out.printf(Locale.ROOT, "adaptive threshold: valley %.3f, otsu %.3f, mixture %.3f%n%n", c.valley(), c.otsu(), c.mixture());
        System.out.println("| data | method | threshold | pairwise F | BCubed F | NMI | clusters / identities |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (FaceClusterer.Method m : FaceClusterer.Method.values()) {
            for (double t : new double[] {Double.NaN, c.otsu(), c.mixture(), 0.35, 0.4, 0.45, 0.5, 0.55, 0.6}) {
                FaceClusterer.Options o = FaceClusterer.Options.defaults().withMethod(m).withThreshold(t);
                FaceClusterer.Result r = new FaceClusterer(search).cluster(e, o);
                ClusterScores sc = ClusterScores.of(truth, r.clustering().labels());
                System.out.printf(Locale.ROOT, "| %s | %s | %s%.3f | %.3f | %.3f | %.3f | %d / %d |%n", label,
                        m.name().toLowerCase(Locale.ROOT).replace('_', ' '), Double.isNaN(t) ? "auto " : t == c.otsu() ? "otsu " : t == c.mixture() ? "mixture " : "", r.threshold(),
                        sc.pairwise().f1(), sc.bcubed().f1(), sc.nmi(), sc.clusters(), sc.identities());
            }
        }
    }
}
