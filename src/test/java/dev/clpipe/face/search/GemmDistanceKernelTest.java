package dev.clpipe.face.search;

import dev.clpipe.testing.Tolerance;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The GEMM-form kernel against its direct reference twin on random blocks of odd shapes. */
class GemmDistanceKernelTest {
    /** d^2 by the GEMM form loses ~1e-6 absolute for descriptor-sized norms (see GemmDistanceKernel). */
    static final Tolerance GEMM_DISTANCE = new Tolerance("gemm-distance", 1e-4, 2e-5);

    @ParameterizedTest
    @CsvSource({"128, 1, 1", "128, 7, 5", "128, 33, 257", "128, 260, 300", "7, 9, 13", "1, 4, 4"})
    void matchesTheDirectReference(int dim, int nq, int nb) {
        SplittableRandom r = new SplittableRandom(dim * 31L + nq * 7L + nb);
        Embeddings q = random(r, nq, dim);
        Embeddings b = random(r, nb, dim);
        // an interior sub-block too, so offsets are exercised
        for (int[] blk : new int[][] {{0, nq, 0, nb}, {nq / 2, nq, nb / 3, nb}}) {
            int rows = blk[1] - blk[0];
            int cols = blk[3] - blk[2];
            float[] want = new float[rows * cols];
            float[] got = new float[rows * cols];
            new DirectDistanceKernel().squaredDistances(q, blk[0], blk[1], b, blk[2], blk[3], want);
            new GemmDistanceKernel().squaredDistances(q, blk[0], blk[1], b, blk[2], blk[3], got);
            GEMM_DISTANCE.assertClose(got, want, "squared distances " + dim + "D " + rows + "x" + cols);
        }
    }

    static Embeddings random(SplittableRandom r, int n, int dim) {
        Embeddings e = new Embeddings(dim, n);
        float[] v = new float[dim];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < dim; k++) v[k] = (float) (r.nextGaussian() * 0.09);
            e.add(v);
        }
        return e;
    }
}
