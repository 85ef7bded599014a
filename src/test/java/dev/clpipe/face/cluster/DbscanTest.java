package dev.clpipe.face.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.face.search.Neighbors;
import org.junit.jupiter.api.Test;

/** Hand-worked 1-D cases, with scikit-learn's conventions (minPts counts the point itself, eps inclusive). */
class DbscanTest {
    private static Embeddings line(float... xs) {
        Embeddings e = new Embeddings(1);
        for (float x : xs) e.add(new float[] {x});
        return e;
    }

    private static int[] run(Embeddings pts, double eps, int minPts) {
        Neighbors nb = KnnSearch.defaults().graph(pts, pts.size(), eps);
        return new Dbscan(new Dbscan.Options(eps, minPts)).cluster(nb).labels();
    }

    @Test
    void twoGroupsAndNoise() {
        // 0, 0.25, 0.5 chain at eps 0.25 (inclusive); 5, 5.25 a pair; 10 alone
        Embeddings pts = line(0, 0.25f, 0.5f, 5, 5.25f, 10);
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, -1}, run(pts, 0.25, 2));
    }

    @Test
    void borderPointsJoinButDoNotExtendAndSparsePointsAreNoise() {
        // minPts 3: 1 has neighbours 0 and 2 -> core; 0 and 2 have one neighbour -> border;
        // and 2 (1.0 away from 1) has no neighbour at all: noise
        Embeddings pts = line(0, 0.5f, 1, 2);
        assertArrayEquals(new int[] {0, 0, 0, -1}, run(pts, 0.5, 3));
        // minPts 1: everything is core, each connected component a cluster
        assertArrayEquals(new int[] {0, 0, 0, 1}, run(pts, 0.5, 1));
    }

    @Test
    void aSearchRadiusWiderThanEpsIsFilteredAndANarrowerOneRefused() {
        Embeddings pts = line(0, 0.25f, 0.5f, 5, 5.25f, 10);
        Neighbors wide = KnnSearch.defaults().graph(pts, 5, 1.0);
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, -1}, new Dbscan(new Dbscan.Options(0.25, 2)).cluster(wide).labels());
        Neighbors narrow = KnnSearch.defaults().graph(pts, 5, 0.1);
        assertThrows(IllegalArgumentException.class, () -> new Dbscan(new Dbscan.Options(0.25, 2)).cluster(narrow));
    }
}
