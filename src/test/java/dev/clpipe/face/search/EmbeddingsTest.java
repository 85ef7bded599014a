package dev.clpipe.face.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EmbeddingsTest {
    @Test
    void storesRowsNormsAndDistances() {
        Embeddings e = Embeddings.of(new float[] {3, 4}, new float[] {0, 0}, new float[] {1, 1});
        assertEquals(3, e.size());
        assertEquals(2, e.dim());
        assertEquals(25f, e.sqNorm(0));
        assertEquals(5.0, e.distance(0, 1), 1e-12);
        assertEquals(Math.sqrt(13), e.distance(0, 2), 1e-12);
        assertEquals(5.0, e.distanceTo(1, new float[] {3, 4}), 1e-12);
        assertArrayEquals(new float[] {1, 1}, e.row(2));
    }

    @Test
    void growsPastItsCapacityAndSlices() {
        Embeddings e = new Embeddings(3, 1);
        for (int i = 0; i < 100; i++) e.add(new float[] {i, 0, 0});
        assertEquals(100, e.size());
        Embeddings s = e.slice(10, 20);
        assertEquals(10, s.size());
        assertArrayEquals(new float[] {15, 0, 0}, s.row(5));
        assertEquals(225f, s.sqNorm(5));
    }

    @Test
    void rejectsWrongLengthsAndNonFiniteValues() {
        Embeddings e = new Embeddings(2);
        assertThrows(IllegalArgumentException.class, () -> e.add(new float[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> e.add(new float[] {Float.NaN, 0}));
        assertThrows(IllegalArgumentException.class, () -> Embeddings.ofRowMajor(new float[5], 2));
        assertThrows(IndexOutOfBoundsException.class, () -> e.row(0));
    }
}
