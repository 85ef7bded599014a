package dev.clpipe.face.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clpipe.face.search.Embeddings;
import org.junit.jupiter.api.Test;

class IncrementalClustererTest {
    @Test
    void joinsTheClusterOfSmallestAverageDistanceOrOpensANewOne() {
        // cluster 0 = {0, 1}, cluster 1 = {10}, point 3 unclustered (ignored)
        Embeddings pts = AgglomerativeTest.line(0, 1, 10, 4);
        IncrementalClusterer inc = new IncrementalClusterer(pts, new Clustering(new int[] {0, 0, 1, -1}, 2), 1.6);
        // 1.9: average to {0,1} = (1.9 + 0.9) / 2 = 1.4 < 1.6 -> cluster 0, although 10 is far
        assertEquals(0, inc.add(new float[] {1.9f}));
        // 2.6: average to {0,1,1.9} = (2.6 + 1.6 + 0.7) / 3 = 1.633 >= 1.6 -> new cluster 2
        assertEquals(2, inc.add(new float[] {2.6f}));
        // 9: to {10} 1.0 -> cluster 1
        assertEquals(1, inc.add(new float[] {9}));
        assertArrayEquals(new int[] {0, 0, 1, -1, 0, 2, 1}, inc.clustering().labels());
    }

    @Test
    void aBatchEqualsAddingOneAtATimeAcrossChunks() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        Embeddings start = new Embeddings(3);
        for (int i = 0; i < 50; i++) start.add(new float[] {(float) (i % 5 * 2 + r.nextGaussian() * 0.2), 0, 0});
        Clustering initial = Clustering.relabel(java.util.stream.IntStream.range(0, 50).map(i -> i % 5).toArray());
        Embeddings batch = new Embeddings(3);
        for (int i = 0; i < 150; i++) batch.add(new float[] {(float) (r.nextDouble() * 14 - 2), (float) r.nextGaussian(), 0});
        IncrementalClusterer all = new IncrementalClusterer(start, initial, 0.8);
        int[] got = all.addAll(batch);
        IncrementalClusterer one = new IncrementalClusterer(start, initial, 0.8);
        for (int i = 0; i < batch.size(); i++) assertEquals(one.add(batch.row(i)), got[i], "face " + i);
        assertEquals(200, all.size());
    }

    @Test
    void rejectsMismatchedInputs() {
        Embeddings pts = AgglomerativeTest.line(0, 1);
        assertThrows(IllegalArgumentException.class, () -> new IncrementalClusterer(pts, new Clustering(new int[] {0}, 1), 0.5));
        assertThrows(IllegalArgumentException.class, () -> new IncrementalClusterer(pts, new Clustering(new int[] {0, 0}, 1), 0));
    }
}
