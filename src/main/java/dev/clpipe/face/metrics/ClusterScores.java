package dev.clpipe.face.metrics;

/**
 * Every clustering metric at once, for faces whose identities are known: pairwise and BCubed
 * precision/recall/F1, NMI, and the number of clusters against the number of identities.
 * Unclustered faces count as singleton clusters in the scores and are reported separately.
 */
public record ClusterScores(PairCounting pairwise, BCubed bcubed, double nmi, int clusters, int identities, int unclustered) {
    /** @param truth identity per face; @param predicted cluster per face, negative = unclustered */
    public static ClusterScores of(int[] truth, int[] predicted) {
        Contingency t = new Contingency(truth, predicted);
        int unclustered = 0;
        java.util.Set<Integer> real = new java.util.HashSet<>();
        for (int p : predicted) {
            if (p < 0) unclustered++;
            else real.add(p);
        }
        return new ClusterScores(PairCounting.of(t), BCubed.of(t), Nmi.of(t), real.size(), t.classes(), unclustered);
    }

    @Override
    public String toString() {
        return String.format("pairwise P/R/F %.3f/%.3f/%.3f, BCubed P/R/F %.3f/%.3f/%.3f, NMI %.3f, %d clusters for %d identities, %d unclustered",
                pairwise.precision(), pairwise.recall(), pairwise.f1(), bcubed.precision(), bcubed.recall(), bcubed.f1(),
                nmi, clusters, identities, unclustered);
    }
}
