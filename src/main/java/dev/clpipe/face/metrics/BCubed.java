package dev.clpipe.face.metrics;

/**
 * BCubed precision, recall and F1 (Bagga and Baldwin 1998; Amigo et al. 2009): per face,
 * precision = |own cluster and own identity| / |own cluster|, recall = the same over
 * |own identity|, each averaged over all faces. With the contingency table:
 * P = (1/n) sum_ij n_ij^2 / b_j, R = (1/n) sum_ij n_ij^2 / a_i.
 */
public record BCubed(double precision, double recall, double f1) {
    public static BCubed of(Contingency t) {
        if (t.n == 0) return new BCubed(1, 1, 1);
        double p = 0;
        double r = 0;
        for (long[] c : t.cells) {
            double m = c[2];
            p += m * m / t.clusterSizes[(int) c[1]];
            r += m * m / t.classSizes[(int) c[0]];
        }
        p /= t.n;
        r /= t.n;
        return new BCubed(p, r, F.harmonic(p, r));
    }
}
