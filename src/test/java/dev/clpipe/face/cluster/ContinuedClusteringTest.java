package dev.clpipe.face.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.face.bench.SyntheticFaces;
import dev.clpipe.face.metrics.ClusterScores;
import dev.clpipe.face.search.Embeddings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Continuing a clustering (FaceClusterer.continueFrom, ChineseWhispers.extend): old faces keep
 * their ids, new photos of known people join their clusters, new people get new ids after the old
 * ones, and the result is about as good as clustering everything at once.
 */
class ContinuedClusteringTest {
    private static final FaceClusterer.Options DEFAULTS = FaceClusterer.Options.defaults();

    @Test
    void newFacesJoinTheirPeoplesOldClustersOrOpenNewIds() {
        SyntheticFaces data = SyntheticFaces.generate(1500, 11, SyntheticFaces.Spec.faceApi());
        Embeddings e = data.embeddings();
        int[] truth = data.identity();
        // earlier run: every third face (so most people are known), clustered from scratch
        int[] oldRows = java.util.stream.IntStream.range(0, e.size()).filter(i -> i % 3 == 0).toArray();
        java.util.List<Integer> newRowsList = new java.util.ArrayList<>();
        for (int i = 0; i < e.size(); i++) if (i % 3 != 0) newRowsList.add(i);
        int[] newRows = newRowsList.stream().mapToInt(Integer::intValue).toArray();
        Embeddings old = rows(e, oldRows);
        int[] oldLabels = FaceClusterer.defaults().cluster(old, DEFAULTS).clustering().labels();
        int oldMax = java.util.Arrays.stream(oldLabels).max().orElse(-1);

        int[] added = FaceClusterer.defaults().continueFrom(old, oldLabels, rows(e, newRows), DEFAULTS);
        assertEquals(newRows.length, added.length);

        // the old clusters holding each identity (one person may be split); new photos should land in one of them
        Map<Integer, java.util.Set<Integer>> oldClustersOf = new HashMap<>();
        for (int j = 0; j < oldRows.length; j++) oldClustersOf.computeIfAbsent(truth[oldRows[j]], x -> new java.util.HashSet<>()).add(oldLabels[j]);
        int known = 0, joined = 0, unknown = 0, newIds = 0;
        for (int f = 0; f < newRows.length; f++) {
            java.util.Set<Integer> c = oldClustersOf.get(truth[newRows[f]]);
            double nearestSame = Double.POSITIVE_INFINITY; // to an old photo of the same person
            for (int j = 0; j < oldRows.length; j++) {
                if (truth[oldRows[j]] == truth[newRows[f]]) nearestSame = Math.min(nearestSame, e.distance(oldRows[j], newRows[f]));
            }
            if (c != null && nearestSame < 0.3) { // a clear case: an old photo of the person sits well inside the threshold
                known++;
                if (c.contains(added[f])) joined++;
            } else if (c == null) {
                unknown++;
                if (added[f] > oldMax) newIds++;
            }
        }
        assertTrue(known > 300 && unknown > 30, known + " known, " + unknown + " unknown new faces");
        assertTrue(joined >= 0.9 * known, joined + " of " + known + " new photos close to an old photo of their person joined an old cluster of that person");
        assertTrue(newIds >= 0.95 * unknown, newIds + " of " + unknown + " faces of new people got new ids");

        // quality: about that of clustering all at once
        int[] combined = new int[e.size()];
        for (int j = 0; j < oldRows.length; j++) combined[oldRows[j]] = oldLabels[j];
        for (int f = 0; f < newRows.length; f++) combined[newRows[f]] = added[f];
        double incremental = ClusterScores.of(truth, combined).bcubed().f1();
        double whole = ClusterScores.of(truth, FaceClusterer.defaults().cluster(e, DEFAULTS).clustering().labels()).bcubed().f1();
        assertTrue(incremental >= whole - 0.03, "incremental BCubed F " + incremental + " vs all at once " + whole);
    }

    @Test
    void newIdsAreDenseAfterTheOldOnesAndOldLabelsNeverChange() {
        // two old clusters (ids 0 and 3: ids need not be dense), one old unclustered face, new faces near cluster 3 and far away
        Embeddings old = Embeddings.of(new float[] {0, 0}, new float[] {0.1f, 0}, new float[] {5, 5}, new float[] {5.1f, 5}, new float[] {-9, 9});
        int[] oldLabels = {0, 0, 3, 3, -1};
        Embeddings added = Embeddings.of(new float[] {5.05f, 5.1f}, new float[] {20, 20}, new float[] {20.1f, 20}, new float[] {-20, 0}, new float[] {-9.05f, 9});
        FaceClusterer.Options o = DEFAULTS.withThreshold(0.5);
        int[] got = FaceClusterer.defaults().continueFrom(old, oldLabels, added, o);
        assertArrayEquals(new int[] {3, 4, 4, 5, 6}, got, "joins 3; a new pair gets 4, then 5 and 6; an old unclustered face attracts nobody");
        int[] all = new ChineseWhispers(new ChineseWhispers.Options(100, 0, ChineseWhispers.Weighting.LINEAR, 0.5)).extend(
                NeighborGraph.of(3, new int[][] {{0, 1}, {1, 2}}, new float[] {0.1f, 0.1f}), new int[] {7, 2}, 2);
        assertArrayEquals(new int[] {7, 2, 2}, all, "pinned labels stay, even when a new node's vote ties");
        assertThrows(IllegalArgumentException.class, () -> FaceClusterer.defaults().continueFrom(old, oldLabels, added,
                o.withMethod(FaceClusterer.Method.DBSCAN)));
    }

    private static Embeddings rows(Embeddings e, int[] rows) {
        Embeddings out = new Embeddings(e.dim(), rows.length);
        for (int r : rows) out.add(e.row(r));
        return out;
    }
}
