package dev.clpipe.style;

/** Plain-Java twin of {@code opencl/style.cl} in double precision (tests and gradient checks). */
public final class StyleReference {
    private StyleReference() {}

    /** G[k][j] = sum_p F[p][k] F[p][j]. */
    public static double[] gram(double[] f, int p, int c) {
        double[] g = new double[c * c];
        for (int q = 0; q < p; q++) {
            for (int k = 0; k < c; k++) {
                double a = f[q * c + k];
                for (int j = 0; j < c; j++) g[k * c + j] += a * f[q * c + j];
            }
        }
        return g;
    }

    /** coef * F . D (+ previous when not null). */
    public static double[] gramBackward(double[] f, double[] d, int p, int c, double coef, double[] previous) {
        double[] df = new double[p * c];
        for (int q = 0; q < p; q++) {
            for (int j = 0; j < c; j++) {
                double s = 0;
                for (int k = 0; k < c; k++) s += f[q * c + k] * d[k * c + j];
                df[q * c + j] = coef * s + (previous != null ? previous[q * c + j] : 0);
            }
        }
        return df;
    }

    public static double sumSquaredDiff(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return s;
    }

    public static double[] pixelsToInput(double[] g, double scale, double[] shift) {
        double[] x = new double[g.length];
        for (int i = 0; i < g.length; i++) x[i] = g[i] * scale + shift[i % 3];
        return x;
    }

    public static double[] clamp(double[] g, double lo, double hi) {
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) out[i] = Math.min(Math.max(g[i], lo), hi);
        return out;
    }

    /** One layer's style cost (seeds): (1 / (2 nH nW nC))^2 * sum (G_S - G_G)^2. */
    public static double styleCost(double[] styleGram, double[] f, int p, int c) {
        double norm = 2.0 * p * c;
        return sumSquaredDiff(styleGram, gram(f, p, c)) / (norm * norm);
    }

    /** d styleCost / dF = 4 / (2 nH nW nC)^2 * F (G_G - G_S). */
    public static double[] styleCostGradient(double[] styleGram, double[] f, int p, int c) {
        double[] g = gram(f, p, c);
        double[] d = new double[c * c];
        for (int i = 0; i < d.length; i++) d[i] = g[i] - styleGram[i];
        double norm = 2.0 * p * c;
        return gramBackward(f, d, p, c, 4 / (norm * norm), null);
    }

    /** Content cost (seeds): 1/2 ||a_C - a_G||^2. */
    public static double contentCost(double[] contentActivation, double[] a) {
        return 0.5 * sumSquaredDiff(a, contentActivation);
    }
}
