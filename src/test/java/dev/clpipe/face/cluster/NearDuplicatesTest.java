package dev.clpipe.face.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.KnnSearch;
import org.junit.jupiter.api.Test;

/** Near-duplicate collapse: copies map to the first face of their group, labels spread back. */
class NearDuplicatesTest {
    @Test
    void thousandsOfCopiesCollapseToOneFaceEach() {
        Embeddings e = new Embeddings(4);
        for (int i = 0; i < 2000; i++) {
            float jitter = (i % 7) * 1e-4f; // near, not exact, duplicates
            e.add(i % 2 == 0 ? new float[] {1 + jitter, 0, 0, 0} : new float[] {0, 1, jitter, 0});
        }
        e.add(new float[] {0, 0, 0, 1});
        NearDuplicates.Collapse c = NearDuplicates.collapse(e, 0.01, KnnSearch.defaults());
        assertEquals(3, c.kept().size());
        assertEquals(1998, c.duplicates());
        assertEquals(0, c.representative()[1998]);
        assertEquals(1, c.representative()[1999]);
        assertEquals(2, c.representative()[2000]);
        Clustering expanded = c.expand(new Clustering(new int[] {0, 1, -1}, 2));
        assertEquals(0, expanded.label(4));
        assertEquals(1, expanded.label(7));
        assertEquals(-1, expanded.label(2000));
    }

    @Test
    void offKeepsEveryFace() {
        Embeddings e = Embeddings.of(new float[] {1, 0}, new float[] {1, 0});
        NearDuplicates.Collapse c = NearDuplicates.collapse(e, 0, KnnSearch.defaults());
        assertEquals(0, c.duplicates());
        assertArrayEquals(new int[] {0, 1}, c.representative());
    }
}
