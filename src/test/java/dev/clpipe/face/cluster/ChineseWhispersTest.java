package dev.clpipe.face.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.KnnSearch;
import org.junit.jupiter.api.Test;

class ChineseWhispersTest {
    private static Clustering run(NeighborGraph g, long seed, ChineseWhispers.Weighting w) {
        return new ChineseWhispers(new ChineseWhispers.Options(100, seed, w, 0.6)).cluster(g);
    }

    @Test
    void separatesTwoCliquesAndLeavesAnIsolatedNodeAlone() {
        // nodes 0-2 a triangle, 3-5 a triangle, 6 alone
        int[][] e = {{0, 1}, {1, 2}, {0, 2}, {3, 4}, {4, 5}, {3, 5}};
        NeighborGraph g = NeighborGraph.of(7, e, new float[] {.3f, .3f, .3f, .3f, .3f, .3f});
        Clustering c = run(g, 1, ChineseWhispers.Weighting.UNIT);
        assertEquals(3, c.clusters());
        assertEquals(c.label(0), c.label(1));
        assertEquals(c.label(0), c.label(2));
        assertEquals(c.label(3), c.label(5));
        assertNotEquals(c.label(0), c.label(3));
        assertNotEquals(c.label(6), c.label(0));
    }

    @Test
    void isDeterministicForASeed() {
        Embeddings pts = new Embeddings(2);
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < 300; i++) pts.add(new float[] {(float) (i % 10 + r.nextGaussian() * 0.05), (float) (r.nextGaussian() * 0.05)});
        NeighborGraph g = NeighborGraph.fromNeighbors(KnnSearch.defaults().graph(pts, 40, 0.6), 0.6);
        for (ChineseWhispers.Weighting w : ChineseWhispers.Weighting.values()) {
            Clustering a = run(g, 42, w);
            Clustering b = run(g, 42, w);
            assertEquals(a, b, w.name());
            assertEquals(10, a.clusters(), w + ": ten well separated blobs of 30");
        }
    }

    @Test
    void aBridgeOfOneWeakEdgeDoesNotMergeTwoDenseGroups() {
        // two 4-cliques joined by the single edge 3-4
        java.util.List<int[]> edges = new java.util.ArrayList<>();
        for (int a = 0; a < 4; a++) for (int b = a + 1; b < 4; b++) {
            edges.add(new int[] {a, b});
            edges.add(new int[] {a + 4, b + 4});
        }
        edges.add(new int[] {3, 4});
        float[] d = new float[edges.size()];
        java.util.Arrays.fill(d, 0.3f);
        Clustering c = run(NeighborGraph.of(8, edges.toArray(new int[0][]), d), 3, ChineseWhispers.Weighting.UNIT);
        assertEquals(2, c.clusters());
        assertNotEquals(c.label(3), c.label(4));
    }

    @Test
    void graphFromNeighborsKeepsOnlyEdgesBelowTheThresholdOnce() {
        Embeddings pts = Embeddings.of(new float[] {0}, new float[] {0.5f}, new float[] {0.6f}, new float[] {2});
        NeighborGraph g = NeighborGraph.fromNeighbors(KnnSearch.defaults().graph(pts, 3, 1.0), 0.6);
        // pairs under 0.6: 0-1 (0.5), 1-2 (0.1); 0-2 is exactly 0.6: excluded (strict, as dlib)
        assertEquals(2, g.edges());
        assertEquals(1, g.degree(0));
        assertEquals(0, g.degree(3));
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new ChineseWhispers.Options(0, 1, ChineseWhispers.Weighting.UNIT, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new ChineseWhispers.Options(10, 1, ChineseWhispers.Weighting.UNIT, 0));
    }
}
