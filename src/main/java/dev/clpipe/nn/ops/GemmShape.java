package dev.clpipe.nn.ops;

/**
 * One GEMM problem C = alpha * op(A) * op(B) + beta * C, row-major: op(A) is M x K, op(B) is
 * K x N, C is M x N. {@code transA} means A is stored K x M; {@code transB} means B is stored N x K.
 */
public record GemmShape(int m, int n, int k, boolean transA, boolean transB, float alpha, float beta) {
    public GemmShape {
        if (m <= 0 || n <= 0 || k <= 0) throw new IllegalArgumentException("GEMM sizes must be positive, got M=" + m + " N=" + n + " K=" + k);
    }

    /** C = op(A) * op(B), overwriting C. */
    public static GemmShape of(int m, int n, int k, boolean transA, boolean transB) {
        return new GemmShape(m, n, k, transA, transB, 1f, 0f);
    }

    public GemmShape scaled(float alpha, float beta) {
        return new GemmShape(m, n, k, transA, transB, alpha, beta);
    }

    public long aFloats() {
        return (long) m * k;
    }

    public long bFloats() {
        return (long) k * n;
    }

    public long cFloats() {
        return (long) m * n;
    }

    /** Multiply-adds, M*N*K. */
    public long macs() {
        return (long) m * n * k;
    }

    public double flops() {
        return 2.0 * m * n * k;
    }

    @Override
    public String toString() {
        return m + "x" + n + "x" + k + (transA ? " A^T" : "") + (transB ? " B^T" : "");
    }
}
