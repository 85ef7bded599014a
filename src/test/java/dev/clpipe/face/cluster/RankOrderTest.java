package dev.clpipe.face.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.face.search.Neighbors;
import org.junit.jupiter.api.Test;

class RankOrderTest {
    /**
     * 1-D points A = 0, B = 1, C = 2 and D = 10, E = 11, lists of k = 2 (plus the face itself at rank 0):
     * A: [A, B, C], B: [B, A, C], C: [C, B, A], D: [D, E, C], E: [E, D, C].
     * D(A,B): O_A(B) = 1, O_B(A) = 1; d(A,B) = |{A, B} not in B's list| = 0, d(B,A) = 0 -> D = 0.
     * D(C,D): D is not in C's list, so only D's list scores it: O_D(C) = 2, O_C(D) = k + 1 = 3;
     * d(D,C) = |{D, E, C} not in C's list| = 2, d(C,D) = |{C, B, A} (up to rank 3, list ends) not in D's list| = 2 -> D = 4 / 2 = 2.
     * D(D,E) = 0. At threshold 1: {A, B, C} and {D, E}; at threshold 2.5 all join.
     */
    @Test
    void rankDistancesWorkedByHand() {
        Embeddings e = Embeddings.of(new float[] {0}, new float[] {1}, new float[] {2}, new float[] {10}, new float[] {11});
        Neighbors nb = KnnSearch.defaults().graph(e, 2, Double.POSITIVE_INFINITY);
        assertArrayEquals(new int[] {0, 0, 0, 1, 1}, new RankOrder(new RankOrder.Options(1, Double.POSITIVE_INFINITY)).cluster(nb).labels());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0}, new RankOrder(new RankOrder.Options(2.5, Double.POSITIVE_INFINITY)).cluster(nb).labels());
        // the distance guard keeps C - D apart whatever the ranks say
        assertEquals(2, new RankOrder(new RankOrder.Options(2.5, 5)).cluster(nb).clusters());
        assertThrows(IllegalArgumentException.class, () -> new RankOrder.Options(0, 1));
    }
}
