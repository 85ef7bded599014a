package dev.clpipe.face.search;

/**
 * Squared Euclidean distances between a block of query rows and a block of base rows: the one
 * seam where a device implementation plugs in. The fast form is a GEMM,
 * d(a,b)^2 = |a|^2 + |b|^2 - 2 a.b, so an OpenCL implementation is a call of the tiled
 * {@code gemm.cl} kernel plus a rank-1 update; {@link DirectDistanceKernel} is the plain
 * reference twin every implementation is tested against.
 *
 * <p>Implementations must be safe for concurrent calls with distinct {@code out} arrays.
 */
public interface DistanceKernel {
    /**
     * Writes d(q_i, b_j)^2 into {@code out[(i - q0) * (b1 - b0) + (j - b0)]} for i in [q0, q1),
     * j in [b0, b1). Values are clamped at 0 (the GEMM form can round slightly negative).
     */
    void squaredDistances(Embeddings queries, int q0, int q1, Embeddings base, int b0, int b1, float[] out);

    /** A short name for logs and benchmark tables. */
    String name();
}
