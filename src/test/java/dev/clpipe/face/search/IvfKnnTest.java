package dev.clpipe.face.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.face.bench.SyntheticFaces;
import org.junit.jupiter.api.Test;

/** The IVF graph against the exact one (KnnSearch): identical when every cell is probed, high recall with few. */
class IvfKnnTest {
    private static final HostBlockScan HOST = new HostBlockScan(2);

    @Test
    void probingEveryCellGivesTheExactGraph() {
        Embeddings e = SyntheticFaces.generate(600, 5).embeddings();
        for (double radius : new double[] {Double.POSITIVE_INFINITY, 0.45}) {
            Neighbors exact = KnnSearch.defaults().graph(e, 12, radius);
            Neighbors ivf = new IvfKnn(HOST, new IvfKnn.Options(9, 9, 4, 20, 3)).graph(e, 12, radius);
            for (int i = 0; i < e.size(); i++) {
                assertEquals(exact.count(i), ivf.count(i), "row " + i + " radius " + radius);
                for (int r = 0; r < exact.count(i); r++) {
                    // distinct synthetic points have no exact ties; distances agree to float rounding
                    assertEquals(exact.neighbor(i, r), ivf.neighbor(i, r), "row " + i + " rank " + r);
                    assertEquals(exact.distance(i, r), ivf.distance(i, r), 1e-5);
                }
            }
        }
    }

    /**
     * Each face scans its own nprobe nearest cells: the result equals one scan of that face alone
     * over its own probe list (the pairs per cell and the merge change nothing), distances then exact.
     */
    @Test
    void everyFaceScansTheCellsNearestToItself() {
        Embeddings e = SyntheticFaces.generate(600, 8).embeddings();
        int n = e.size();
        int d = e.dim();
        int[][] one = {java.util.stream.IntStream.range(0, n).toArray(), new int[n]};
        java.util.Arrays.fill(one[1], 1);
        for (int nprobe : new int[] {1, 4}) {
            for (double radius : new double[] {Double.POSITIVE_INFINITY, 0.5}) {
                IvfKnn ivf = new IvfKnn(HOST, new IvfKnn.Options(12, nprobe, 4, 20, 11));
                Neighbors got = ivf.graph(e, 10, radius);
                float[] centres = ivf.kMeans(e, 12);
                int[] probes = ivf.nearest(e.data(), n, d, centres, 12, nprobe);
                int[] own = new int[n];
                for (int i = 0; i < n; i++) own[i] = probes[i * nprobe];
                PackedLists lists = PackedLists.group(e.data(), n, d, own, 12);
                int[] idx = new int[n * 10];
                float[] dist = new float[n * 10];
                int[] count = new int[n];
                float bound = Double.isInfinite(radius) ? Float.POSITIVE_INFINITY : (float) (radius * radius * (1 + 1e-4) + 1e-5);
                HOST.scan(lists, e.data(), one[0], n, one[0], one[1], n, probes, nprobe, 10, bound, idx, dist, count);
                for (int i = 0; i < n; i++) {
                    final int row = i;
                    int[] want = java.util.Arrays.stream(idx, i * 10, i * 10 + count[i])
                            .filter(j -> (float) e.distance(row, j) <= radius).boxed()
                            .sorted(java.util.Comparator.comparingDouble((Integer j) -> (float) e.distance(row, j)).thenComparing(j -> j))
                            .mapToInt(Integer::intValue).toArray();
                    assertEquals(want.length, got.count(i), "row " + i + " nprobe " + nprobe + " radius " + radius);
                    for (int r = 0; r < want.length; r++) assertEquals(want[r], got.neighbor(i, r), "row " + i + " rank " + r + " nprobe " + nprobe);
                }
            }
        }
    }

    @Test
    void fewProbesKeepNearlyAllEdgesUnderTheClusteringThreshold() {
        Embeddings e = SyntheticFaces.generate(4000, 6).embeddings();
        Neighbors exact = KnnSearch.defaults().graph(e, 48, 0.34);
        Neighbors ivf = new IvfKnn(HOST, IvfKnn.Options.defaults().withNprobe(6)).graph(e, 48, 0.34);
        double recall = ivf.recallAgainst(exact);
        assertTrue(recall >= 0.95, "recall " + recall);
        assertTrue(recall < 1.0 || ivf.edges() == exact.edges(), "recall is measured, not assumed");
    }

    @Test
    void aSinglePointAndTwoPointsAreHandled() {
        Embeddings one = Embeddings.of(new float[] {1, 2, 3, 4});
        Neighbors n1 = new IvfKnn(HOST, IvfKnn.Options.defaults()).graph(one, 5, Double.POSITIVE_INFINITY);
        assertEquals(0, n1.count(0));
        Embeddings two = Embeddings.of(new float[] {0, 0, 0, 0}, new float[] {0, 0, 0, 1});
        Neighbors n2 = new IvfKnn(HOST, IvfKnn.Options.defaults()).graph(two, 5, Double.POSITIVE_INFINITY);
        assertEquals(1, n2.neighbor(0, 0));
        assertEquals(0, n2.neighbor(1, 0));
        assertEquals(1f, n2.distance(0, 0), 0f);
    }
}
