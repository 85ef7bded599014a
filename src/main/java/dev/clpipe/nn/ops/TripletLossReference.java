package dev.clpipe.nn.ops;

/**
 * Plain-Java twin of {@code opencl/triplet.cl} in double precision: L2 normalisation, pairwise
 * squared distances, semi-hard mining, the mean triplet loss and its gradient. Embeddings are
 * [N][D] row-major; labels below 0 mark padding rows.
 */
public final class TripletLossReference {
    /** Same epsilon as the kernel's NORM_EPS: n = sqrt(|x|^2 + eps). */
    static final double NORM_EPS = 1e-12;

    /** Mined negatives and hinge values per [anchor][positive]; -1 where not counted. */
    public record Mining(int[] negative, double[] pairLoss, int n) {
        public int pairs() {
            int c = 0;
            for (int v : negative) if (v >= 0) c++;
            return c;
        }

        public int active() {
            int c = 0;
            for (double v : pairLoss) if (v > 0) c++;
            return c;
        }

        /** Mean hinge over counted pairs (0 when there are none). */
        public double loss() {
            int pairs = pairs();
            if (pairs == 0) return 0;
            double s = 0;
            for (int k = 0; k < negative.length; k++) if (negative[k] >= 0) s += pairLoss[k];
            return s / pairs;
        }
    }

    private TripletLossReference() {}

    public static double[] norms(double[] x, int n, int d) {
        double[] norms = new double[n];
        for (int r = 0; r < n; r++) {
            double s = 0;
            for (int k = 0; k < d; k++) s += x[r * d + k] * x[r * d + k];
            norms[r] = Math.sqrt(s + NORM_EPS);
        }
        return norms;
    }

    public static double[] normalize(double[] x, int n, int d) {
        double[] norms = norms(x, n, d);
        double[] y = new double[n * d];
        for (int r = 0; r < n; r++) for (int k = 0; k < d; k++) y[r * d + k] = x[r * d + k] / norms[r];
        return y;
    }

    /** Gradient through y = x / n: dx = (dy - y (y . dy)) / n. */
    public static double[] normalizeBackward(double[] x, double[] dy, int n, int d) {
        double[] norms = norms(x, n, d);
        double[] y = normalize(x, n, d);
        double[] dx = new double[n * d];
        for (int r = 0; r < n; r++) {
            double dot = 0;
            for (int k = 0; k < d; k++) dot += y[r * d + k] * dy[r * d + k];
            for (int k = 0; k < d; k++) dx[r * d + k] = (dy[r * d + k] - y[r * d + k] * dot) / norms[r];
        }
        return dx;
    }

    public static double[] squaredDistances(double[] e, int n, int d) {
        double[] dist = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double t = e[i * d + k] - e[j * d + k];
                    s += t * t;
                }
                dist[i * n + j] = s;
            }
        }
        return dist;
    }

    /** Semi-hard mining with the kernel's rule and tie order (see triplet.cl's banner). */
    public static Mining mine(double[] dist, int[] labels, int n, double margin) {
        int[] negative = new int[n * n];
        double[] pairLoss = new double[n * n];
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                int at = a * n + p;
                negative[at] = -1;
                if (a == p || labels[a] < 0 || labels[p] != labels[a]) continue;
                double dap = dist[at];
                int semi = -1, easy = -1, first = -1;
                double semiD = Double.POSITIVE_INFINITY, easyD = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    if (labels[k] < 0 || labels[k] == labels[a]) continue;
                    if (first < 0) first = k;
                    double dan = dist[a * n + k];
                    if (dan > dap) {
                        if (dan < semiD) {
                            semiD = dan;
                            semi = k;
                        }
                    } else if (dan > easyD) {
                        easyD = dan;
                        easy = k;
                    }
                }
                int chosen = semi >= 0 ? semi : easy >= 0 ? easy : first; // first: NaN distances only
                negative[at] = chosen;
                if (chosen >= 0) pairLoss[at] = Math.max(dap - dist[a * n + chosen] + margin, 0);
            }
        }
        return new Mining(negative, pairLoss, n);
    }

    /** d(mean loss) / d(e) for normalised embeddings e, the mined triplets held fixed. */
    public static double[] embeddingGradient(double[] e, Mining m, int n, int d) {
        double[] g = new double[n * d];
        int pairs = m.pairs();
        if (pairs == 0) return g;
        double c = 2.0 / pairs;
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                int at = a * n + p;
                if (!(m.pairLoss()[at] > 0)) continue;
                int neg = m.negative()[at];
                for (int k = 0; k < d; k++) {
                    double ea = e[a * d + k], ep = e[p * d + k], en = e[neg * d + k];
                    g[a * d + k] += c * (en - ep);
                    g[p * d + k] += c * (ep - ea);
                    g[neg * d + k] += c * (ea - en);
                }
            }
        }
        return g;
    }

    /** The whole loss as a function of raw (unnormalised) embeddings x. */
    public static double loss(double[] x, int[] labels, int n, int d, double margin) {
        double[] e = normalize(x, n, d);
        return mine(squaredDistances(e, n, d), labels, n, margin).loss();
    }

    /** Its gradient w.r.t. x (mining held fixed, as in the kernels). */
    public static double[] gradient(double[] x, int[] labels, int n, int d, double margin) {
        double[] e = normalize(x, n, d);
        Mining m = mine(squaredDistances(e, n, d), labels, n, margin);
        return normalizeBackward(x, embeddingGradient(e, m, n, d), n, d);
    }
}
