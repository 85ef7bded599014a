package dev.clpipe.face.metrics;

/**
 * Pairwise precision, recall and F1: over all pairs of faces, a pair is predicted positive when
 * both faces share a cluster and truly positive when they share an identity.
 * precision = sum_ij C(n_ij, 2) / sum_j C(b_j, 2), recall = sum_ij C(n_ij, 2) / sum_i C(a_i, 2).
 * A clustering that puts no two faces together has precision 1 (it claims nothing wrong); data
 * with no same-identity pair has recall 1.
 */
public record PairCounting(double precision, double recall, double f1) {
    public static PairCounting of(Contingency t) {
        double together = 0;
        for (long[] c : t.cells) together += Contingency.pairs(c[2]);
        double predicted = 0;
        for (long b : t.clusterSizes) predicted += Contingency.pairs(b);
        double actual = 0;
        for (long a : t.classSizes) actual += Contingency.pairs(a);
        double p = predicted == 0 ? 1 : together / predicted;
        double r = actual == 0 ? 1 : together / actual;
        return new PairCounting(p, r, F.harmonic(p, r));
    }
}
