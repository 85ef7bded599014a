package dev.clpipe.nn.ops;

/** Plain-Java twin of the GEMM kernels: straightforward loops, double accumulation. */
public final class GemmReference {
    private GemmReference() {}

    /** Returns alpha * op(A) * op(B) + beta * c (+ bias[col] when bias is not null); c is not modified. */
    public static float[] run(GemmShape s, float[] a, float[] b, float[] c, float[] bias) {
        float[] out = new float[(int) s.cFloats()];
        for (int i = 0; i < s.m(); i++) {
            for (int j = 0; j < s.n(); j++) {
                double sum = 0;
                for (int p = 0; p < s.k(); p++) {
                    double av = s.transA() ? a[p * s.m() + i] : a[i * s.k() + p];
                    double bv = s.transB() ? b[j * s.k() + p] : b[p * s.n() + j];
                    sum += av * bv;
                }
                double v = s.alpha() * sum;
                if (s.beta() != 0f) v += s.beta() * (double) c[i * s.n() + j];
                if (bias != null) v += bias[j];
                out[i * s.n() + j] = (float) v;
            }
        }
        return out;
    }

    /** Returns rowSums[i] = sum over k of op(A)(i, k) (the row sums {@code Gemm.runWithRowSums} writes beside C). */
    public static float[] rowSums(GemmShape s, float[] a) {
        float[] out = new float[s.m()];
        for (int i = 0; i < s.m(); i++) {
            double sum = 0;
            for (int p = 0; p < s.k(); p++) sum += s.transA() ? a[p * s.m() + i] : a[i * s.k() + p];
            out[i] = (float) sum;
        }
        return out;
    }
}
