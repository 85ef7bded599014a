package dev.clpipe.face.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.face.search.Neighbors;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The sparse-graph algorithm against the textbook one over the full distance matrix. */
class AgglomerativeTest {
    @Test
    void handWorkedAverageLinkageOnALine() {
        // points 0, 1, 3, 10. Average linkage: {0,1} at 1.0; then {0,1}-{3} = (3 + 2) / 2 = 2.5;
        // at threshold 2.4 that pair stays apart, at 2.6 it merges; 10 stays alone either way.
        Embeddings pts = line(0, 1, 3, 10);
        assertArrayEquals(new int[] {0, 0, 1, 2}, cluster(pts, Linkage.AVERAGE, 2.4, pts.size()).clustering().labels());
        assertArrayEquals(new int[] {0, 0, 0, 1}, cluster(pts, Linkage.AVERAGE, 2.6, pts.size()).clustering().labels());
        // complete linkage {0,1}-{3} = 3: needs a threshold above 3; single = 2
        assertArrayEquals(new int[] {0, 0, 1, 2}, cluster(pts, Linkage.COMPLETE, 2.9, pts.size()).clustering().labels());
        assertArrayEquals(new int[] {0, 0, 0, 2 - 1}, cluster(pts, Linkage.SINGLE, 2.1, pts.size()).clustering().labels());
    }

    @ParameterizedTest
    @EnumSource(Linkage.class)
    void matchesTheFullMatrixAlgorithmOnRandomData(Linkage linkage) {
        SplittableRandom r = new SplittableRandom(linkage.ordinal() + 11);
        Embeddings pts = new Embeddings(4);
        for (int c = 0; c < 12; c++) {
            float[] centre = {(float) r.nextGaussian(), (float) r.nextGaussian(), (float) r.nextGaussian(), (float) r.nextGaussian()};
            for (int m = 0, size = 1 + r.nextInt(8); m < size; m++) {
                float[] v = centre.clone();
                for (int k = 0; k < 4; k++) v[k] += (float) (r.nextGaussian() * 0.25);
                pts.add(v);
            }
        }
        for (double t : new double[] {0.3, 0.7, 1.2, 2.0}) {
            Agglomerative.Result got = cluster(pts, linkage, t, pts.size());
            assertTrue(got.exact());
            assertEquals(reference(pts, linkage, t), got.clustering(), linkage + " at " + t);
        }
    }

    @Test
    void aTruncatedGraphIsFlaggedInexact() {
        Embeddings pts = line(0, 0.1f, 0.2f, 0.3f, 0.4f);
        Agglomerative.Result r = cluster(pts, Linkage.AVERAGE, 0.5, 2);
        assertFalse(r.exact());
        assertThrows(IllegalArgumentException.class, () -> new Agglomerative(new Agglomerative.Options(Linkage.AVERAGE, 0.5))
                .cluster(pts, KnnSearch.defaults().graph(pts, 2, 0.4)));
    }

    @Test
    void bigPairsAreSampledAndFlaggedButStillSeparateDistantGroups() {
        SplittableRandom r = new SplittableRandom(8);
        Embeddings pts = new Embeddings(2);
        for (int i = 0; i < 60; i++) pts.add(new float[] {(i % 2) * 5 + (float) (r.nextGaussian() * 0.1), (float) (r.nextGaussian() * 0.1)});
        Neighbors nb = KnnSearch.defaults().graph(pts, 5, 1.0); // sparse: most member pairs unknown, so checks run
        Agglomerative.Result res = new Agglomerative(new Agglomerative.Options(Linkage.AVERAGE, 1.0, 4)).cluster(pts, nb);
        assertTrue(res.sampledChecks() > 0);
        assertFalse(res.exact());
        assertEquals(2, res.clustering().clusters());
        assertEquals(reference(pts, Linkage.AVERAGE, 1.0), res.clustering());
    }

    private static Agglomerative.Result cluster(Embeddings pts, Linkage linkage, double t, int k) {
        Neighbors nb = KnnSearch.defaults().graph(pts, k, t);
        return new Agglomerative(new Agglomerative.Options(linkage, t)).cluster(pts, nb);
    }

    static Embeddings line(float... xs) {
        Embeddings e = new Embeddings(1);
        for (float x : xs) e.add(new float[] {x});
        return e;
    }

    /** O(n^3) textbook agglomeration: merge the closest pair while its linkage is below t. */
    static Clustering reference(Embeddings pts, Linkage linkage, double t) {
        List<List<Integer>> cl = new ArrayList<>();
        for (int i = 0; i < pts.size(); i++) cl.add(new ArrayList<>(List.of(i)));
        while (true) {
            double best = Double.POSITIVE_INFINITY;
            int ba = -1;
            int bb = -1;
            for (int a = 0; a < cl.size(); a++) {
                for (int b = a + 1; b < cl.size(); b++) {
                    double v = link(pts, cl.get(a), cl.get(b), linkage);
                    if (v < best) {
                        best = v;
                        ba = a;
                        bb = b;
                    }
                }
            }
            if (ba < 0 || best >= t) break;
            cl.get(ba).addAll(cl.remove(bb));
        }
        int[] labels = new int[pts.size()];
        for (int c = 0; c < cl.size(); c++) for (int p : cl.get(c)) labels[p] = c;
        return Clustering.relabel(labels);
    }

    private static double link(Embeddings pts, List<Integer> a, List<Integer> b, Linkage linkage) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        double sum = 0;
        for (int i : a) {
            for (int j : b) {
                double d = pts.distance(i, j);
                min = Math.min(min, d);
                max = Math.max(max, d);
                sum += d;
            }
        }
        return switch (linkage) {
            case SINGLE -> min;
            case COMPLETE -> max;
            case AVERAGE -> sum / (a.size() * b.size());
        };
    }
}
