package dev.clpipe.face.metrics;

/**
 * Normalised mutual information with arithmetic-mean normalisation, as scikit-learn's
 * {@code normalized_mutual_info_score} default: NMI = MI(U, V) / ((H(U) + H(V)) / 2), natural
 * logs. Same limit cases as scikit-learn: 1 when both labelings have a single class (or none),
 * 0 when the mutual information is 0.
 */
public final class Nmi {
    private Nmi() {}

    public static double of(Contingency t) {
        if (t.classes() == t.clusters() && t.classes() <= 1) return 1.0;
        double n = t.n;
        double mi = 0;
        for (long[] c : t.cells) {
            double nij = c[2];
            mi += nij / n * Math.log(n * nij / ((double) t.classSizes[(int) c[0]] * t.clusterSizes[(int) c[1]]));
        }
        if (mi <= 1e-15) return 0.0;
        double norm = (entropy(t.classSizes, n) + entropy(t.clusterSizes, n)) / 2;
        return mi / Math.max(norm, Math.ulp(1.0));
    }

    static double entropy(long[] sizes, double n) {
        double h = 0;
        for (long s : sizes) if (s > 0) h -= s / n * Math.log(s / n);
        return h;
    }
}
