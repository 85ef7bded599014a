package dev.clpipe.face.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ClusteringTest {
    @Test
    void relabelNumbersClustersByFirstAppearanceAndKeepsNoise() {
        Clustering c = Clustering.relabel(new int[] {7, 7, -5, 3, 7, 3, -1});
        assertArrayEquals(new int[] {0, 0, -1, 1, 0, 1, -1}, c.labels());
        assertEquals(2, c.clusters());
        assertEquals(2, c.unclustered());
        assertArrayEquals(new int[] {3, 2}, c.sizes());
    }

    @Test
    void rejectsLabelsOutsideTheRange() {
        assertThrows(IllegalArgumentException.class, () -> new Clustering(new int[] {0, 2}, 2));
        assertThrows(IllegalArgumentException.class, () -> new Clustering(new int[] {-2}, 1));
    }
}
