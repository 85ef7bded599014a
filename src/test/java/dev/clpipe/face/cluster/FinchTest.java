package dev.clpipe.face.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.face.bench.SyntheticFaces;
import dev.clpipe.face.metrics.ClusterScores;
import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.KnnSearch;
import java.util.List;
import org.junit.jupiter.api.Test;

class FinchTest {
    /**
     * 1-D points 0, 1, 3 | 10, 11 | 30, 31.5, 33. First neighbours: 0->1, 1->0, 3->1, 10->11, 11->10,
     * 30->31.5, 31.5->30, 33->31.5: round 1 = {0,1,3} {10,11} {30,31.5,33}. Means 1.33, 10.5, 31.5:
     * 1.33 <-> 10.5 are mutual first neighbours, 31.5 -> 10.5: round 2 = everything, by hand.
     */
    @Test
    void roundsFollowFirstNeighboursWorkedByHand() {
        Embeddings e = Embeddings.of(new float[] {0}, new float[] {1}, new float[] {3}, new float[] {10}, new float[] {11},
                new float[] {30}, new float[] {31.5f}, new float[] {33});
        List<Clustering> p = new Finch(KnnSearch.defaults(), Double.POSITIVE_INFINITY).partitions(e);
        assertEquals(2, p.size());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2, 2, 2}, p.get(0).labels());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0}, p.get(1).labels());
        // with links limited to 5: round 1 as before, then 1.33 -> 10.5 is 9.2 away: nothing merges
        Clustering guarded = new Finch(KnnSearch.defaults(), 5).cluster(e);
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2, 2, 2}, guarded.labels());
        // a limit below every first-neighbour distance leaves singletons
        assertEquals(8, new Finch(KnnSearch.defaults(), 0.5).cluster(e).clusters());
    }

    @Test
    void tinyInputsAndASyntheticFolder() {
        assertEquals(0, new Finch(KnnSearch.defaults(), 1).partitions(new Embeddings(3)).size());
        assertEquals(1, new Finch(KnnSearch.defaults(), 1).cluster(Embeddings.of(new float[] {1, 2})).clusters());
        SyntheticFaces f = SyntheticFaces.generate(1500, 3);
        Clustering c = new Finch(KnnSearch.defaults(), 0.6).cluster(f.embeddings());
        double b = ClusterScores.of(f.identity(), c.labels()).bcubed().f1();
        assertTrue(b > 0.85, "FINCH with links < 0.6 on a synthetic folder: BCubed F " + b);
    }
}
