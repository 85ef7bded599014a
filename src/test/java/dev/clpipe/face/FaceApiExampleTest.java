package dev.clpipe.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.face.bench.SyntheticFaces;
import dev.clpipe.face.cluster.AdaptiveThreshold;
import dev.clpipe.face.cluster.Agglomerative;
import dev.clpipe.face.cluster.ChineseWhispers;
import dev.clpipe.face.cluster.Clustering;
import dev.clpipe.face.cluster.Dbscan;
import dev.clpipe.face.cluster.FaceClusterer;
import dev.clpipe.face.cluster.IncrementalClusterer;
import dev.clpipe.face.cluster.Linkage;
import dev.clpipe.face.cluster.NeighborGraph;
import dev.clpipe.face.metrics.ClusterScores;
import dev.clpipe.face.output.ClustersCsvWriter;
import dev.clpipe.face.output.ContactSheetWriter;
import dev.clpipe.face.output.FaceRef;
import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.Gallery;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.face.search.Neighbors;
import dev.clpipe.face.verify.RocCurve;
import dev.clpipe.face.verify.Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage example of docs/face-clustering.md, run end to end on synthetic faces. */
class FaceApiExampleTest {
    @Test
    void theDocumentedExampleRuns(@TempDir Path runDir) throws Exception {
        SyntheticFaces data = SyntheticFaces.generate(1100, 11);
        Embeddings e = data.embeddings().slice(0, 1000);
        Embeddings newFaces = data.embeddings().slice(1000, 1100);

        FaceClusterer.Result r = FaceClusterer.defaults().cluster(e, FaceClusterer.Options.defaults());
        Clustering c = r.clustering();
        assertEquals(0.34, r.threshold());
        FaceClusterer.Result auto = FaceClusterer.defaults().cluster(e, FaceClusterer.Options.defaults().withThreshold(Double.NaN));
        assertTrue(auto.threshold() >= 0.3 && auto.threshold() <= 0.7);

        KnnSearch knn = KnnSearch.defaults();
        double t = AdaptiveThreshold.select(e, knn, 42).threshold();
        Neighbors nb = knn.graph(e, 48, Math.max(t, 0.6));
        Clustering cw = new ChineseWhispers(ChineseWhispers.Options.defaults(t)).cluster(NeighborGraph.fromNeighbors(nb, t));
        Clustering db = new Dbscan(new Dbscan.Options(t, 3)).cluster(nb);
        Agglomerative.Result hac = new Agglomerative(new Agglomerative.Options(Linkage.AVERAGE, 0.6)).cluster(e, nb);
        IncrementalClusterer inc = new IncrementalClusterer(e, hac.clustering(), 0.6);
        int[] newLabels = inc.addAll(newFaces);
        assertEquals(100, newLabels.length);

        int[] identity = java.util.Arrays.copyOf(data.identity(), 1000);
        // the synthetic faces are not on face-api's scale (same person ~0.42 apart): the calibrated 0.34 splits them,
        // the adaptive threshold is the one to score here
        assertTrue(c.clusters() > 500, "0.34 splits synthetic identities: " + c);
        for (Clustering x : List.of(auto.clustering(), cw, db, hac.clustering())) {
            assertTrue(ClusterScores.of(identity, x.labels()).bcubed().f1() > 0.85, x.toString());
        }
        assertTrue(ClusterScores.of(data.identity(), inc.clustering().labels()).bcubed().f1() > 0.85);

        List<FaceRef> faces = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) faces.add(new FaceRef("img/" + i / 3 + ".jpg", i % 3, "thumbs/" + i + ".jpg"));
        ClustersCsvWriter.write(runDir.resolve("clusters.csv"), faces, c);
        ContactSheetWriter.write(runDir.resolve("clusters.html"), "Holiday 2026", faces, c);
        assertEquals(1001, Files.readAllLines(runDir.resolve("clusters.csv")).size());
        assertTrue(Files.readString(runDir.resolve("clusters.html")).contains("thumbs/0.jpg"));

        float[] a = e.row(0);
        float[] b = e.row(1);
        assertEquals(identity[0] == identity[1], Verifier.faceApi().samePerson(a, b));
        double[] d = new double[400];
        boolean[] same = new boolean[400];
        for (int i = 0; i < 400; i++) {
            d[i] = e.distance(i, i + 1);
            same[i] = identity[i] == identity[i + 1];
        }
        RocCurve roc = new RocCurve(d, same);
        // consecutive faces straddle identity boundaries, where lookalikes are generated: not an easy pair set
        assertTrue(roc.auc() > 0.9 && roc.equalErrorRate() < 0.2, "auc " + roc.auc() + " eer " + roc.equalErrorRate());

        Gallery g = new Gallery(128, 0.6);
        g.enroll("person-" + identity[0], a);
        assertTrue(g.recognize(a).known());
        assertEquals(1, g.topK(b, 5).size());
    }
}
