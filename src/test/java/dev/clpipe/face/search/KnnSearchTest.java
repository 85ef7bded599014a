package dev.clpipe.face.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Blocked, multithreaded k-NN against sorting every distance. */
class KnnSearchTest {
    private static final KnnSearch SMALL_BLOCKS = new KnnSearch(new GemmDistanceKernel(), 3, 8);
    private static final KnnSearch ONE_THREAD = new KnnSearch(new DirectDistanceKernel(), 1, 64);

    @Test
    void searchFindsTheExactNearestBaseRows() {
        SplittableRandom r = new SplittableRandom(1);
        Embeddings base = GemmDistanceKernelTest.random(r, 203, 16);
        Embeddings queries = GemmDistanceKernelTest.random(r, 37, 16);
        Neighbors nb = SMALL_BLOCKS.search(queries, base, 5, Double.POSITIVE_INFINITY);
        for (int q = 0; q < queries.size(); q++) {
            Integer[] want = sortedBy(base, queries.row(q), -1);
            assertEquals(5, nb.count(q));
            for (int k = 0; k < 5; k++) {
                assertEquals(want[k], nb.neighbor(q, k), "query " + q + " rank " + k);
                assertEquals(base.distanceTo(want[k], queries.row(q)), nb.distance(q, k), 1e-6);
            }
        }
    }

    @Test
    void graphExcludesSelfRespectsTheRadiusAndCountsWithinIt() {
        SplittableRandom r = new SplittableRandom(2);
        Embeddings pts = GemmDistanceKernelTest.random(r, 150, 8);
        double radius = 0.3;
        Neighbors nb = SMALL_BLOCKS.graph(pts, 4, radius);
        int truncated = 0;
        for (int i = 0; i < pts.size(); i++) {
            Integer[] order = sortedBy(pts, pts.row(i), i);
            int within = 0;
            for (Integer j : order) if (pts.distance(i, j) <= radius) within++;
            assertEquals(within, nb.withinRadius(i), "row " + i);
            assertEquals(Math.min(4, within), nb.count(i), "row " + i);
            for (int k = 0; k < nb.count(i); k++) assertEquals(order[k], nb.neighbor(i, k), "row " + i + " rank " + k);
            if (within > 4) truncated++;
        }
        assertEquals(truncated, nb.truncatedRows());
    }

    @Test
    void resultDoesNotDependOnThreadsBlocksOrKernel() {
        Embeddings pts = GemmDistanceKernelTest.random(new SplittableRandom(3), 301, 32);
        Neighbors a = SMALL_BLOCKS.graph(pts, 6, Double.POSITIVE_INFINITY);
        Neighbors b = ONE_THREAD.graph(pts, 6, Double.POSITIVE_INFINITY);
        Neighbors c = KnnSearch.defaults().search(pts, pts, 7, Double.POSITIVE_INFINITY);
        for (int i = 0; i < pts.size(); i++) {
            assertEquals(i, c.neighbor(i, 0), "a point is its own nearest neighbour in search()");
            for (int k = 0; k < 6; k++) {
                assertEquals(b.neighbor(i, k), a.neighbor(i, k));
                assertEquals(b.distance(i, k), a.distance(i, k));
                assertEquals(b.neighbor(i, k), c.neighbor(i, k + 1));
            }
        }
    }

    @Test
    void kLargerThanTheBaseIsCappedAndBadArgumentsAreNamed() {
        Embeddings pts = Embeddings.of(new float[] {0}, new float[] {1}, new float[] {3});
        Neighbors nb = SMALL_BLOCKS.graph(pts, 10, Double.POSITIVE_INFINITY);
        assertEquals(2, nb.count(0));
        assertEquals(1, nb.neighbor(0, 0));
        assertEquals(2, nb.neighbor(0, 1));
        assertThrows(IllegalArgumentException.class, () -> SMALL_BLOCKS.graph(pts, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SMALL_BLOCKS.graph(pts, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> SMALL_BLOCKS.search(pts, new Embeddings(1), 1, 1));
    }

    /** All rows of base by (distance to v, index), leaving out {@code self}. */
    private static Integer[] sortedBy(Embeddings base, float[] v, int self) {
        return java.util.stream.IntStream.range(0, base.size()).filter(j -> j != self).boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> base.distanceTo(j, v)).thenComparingInt(j -> j))
                .toArray(Integer[]::new);
    }
}
