package dev.clpipe.face.search;

/** Reference twin: sum of squared differences, accumulated in double. Slow and obviously right. */
public final class DirectDistanceKernel implements DistanceKernel {
    @Override
    public void squaredDistances(Embeddings queries, int q0, int q1, Embeddings base, int b0, int b1, float[] out) {
        int d = queries.dim();
        if (base.dim() != d) throw new IllegalArgumentException("dimension mismatch: " + d + " vs " + base.dim());
        float[] q = queries.data();
        float[] b = base.data();
        int w = b1 - b0;
        for (int i = q0; i < q1; i++) {
            for (int j = b0; j < b1; j++) {
                out[(i - q0) * w + (j - b0)] = (float) Embeddings.sqDiff(q, i * d, b, j * d, d);
            }
        }
    }

    @Override
    public String name() {
        return "direct";
    }
}
