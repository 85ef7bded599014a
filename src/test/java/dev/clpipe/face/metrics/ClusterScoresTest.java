package dev.clpipe.face.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases. sklearn is not installed on the development machine, so every expected
 * value below is worked out in the comment next to it.
 */
class ClusterScoresTest {
    private static final double EPS = 1e-12;

    // faces:      0  1  2  3  4  5
    // identity:   A  A  A  B  B  C
    // cluster:    0  0  1  1  1  -1 (face 5 unclustered -> its own singleton)
    // contingency cells: (A,0)=2, (A,1)=1, (B,1)=2, (C,s)=1; class sizes 3,2,1; cluster sizes 2,3,1
    private static final int[] TRUTH = {0, 0, 0, 1, 1, 2};
    private static final int[] PRED = {0, 0, 1, 1, 1, -1};

    @Test
    void pairwiseByHand() {
        // pairs together in both: C(2,2) + C(1,2) + C(2,2) + C(1,2) = 1 + 0 + 1 + 0 = 2
        // predicted pairs: C(2,2) + C(3,2) + C(1,2) = 1 + 3 = 4; true pairs: C(3,2) + C(2,2) = 3 + 1 = 4
        PairCounting p = PairCounting.of(new Contingency(TRUTH, PRED));
        assertEquals(0.5, p.precision(), EPS);
        assertEquals(0.5, p.recall(), EPS);
        assertEquals(0.5, p.f1(), EPS);
    }

    @Test
    void bcubedByHand() {
        // per-face precision: faces 0,1: 2/2; face 2: 1/3; faces 3,4: 2/3; face 5: 1/1 -> sum 2 + 1/3 + 4/3 + 1 = 14/3
        // per-face recall:    faces 0,1: 2/3; face 2: 1/3; faces 3,4: 2/2; face 5: 1/1 -> sum 4/3 + 1/3 + 2 + 1 = 14/3
        BCubed b = BCubed.of(new Contingency(TRUTH, PRED));
        assertEquals(14.0 / 18, b.precision(), EPS);
        assertEquals(14.0 / 18, b.recall(), EPS);
        assertEquals(14.0 / 18, b.f1(), EPS);
    }

    @Test
    void nmiByHand() {
        // MI = 2/6 ln(6*2/(3*2)) + 1/6 ln(6*1/(3*3)) + 2/6 ln(6*2/(2*3)) + 1/6 ln(6*1/(1*1))
        //    = 1/3 ln2 + 1/6 (ln2 - ln3) + 1/3 ln2 + 1/6 (ln2 + ln3) = ln 2 = 0.6931471805599453
        // H(identity) = H(cluster) = -(1/2 ln 1/2 + 1/3 ln 1/3 + 1/6 ln 1/6) = 1.0114042647073516
        // NMI (arithmetic mean) = 0.6931471805599453 / 1.0114042647073516 = 0.6853314...
        assertEquals(0.6931471805599453 / 1.0114042647073516, Nmi.of(new Contingency(TRUTH, PRED)), 1e-12);
    }

    @Test
    void allScoresAndCountsTogether() {
        ClusterScores s = ClusterScores.of(TRUTH, PRED);
        assertEquals(2, s.clusters());
        assertEquals(3, s.identities());
        assertEquals(1, s.unclustered());
        assertEquals(0.5, s.pairwise().f1(), EPS);
    }

    @Test
    void perfectAndPermutedLabelsScoreOne() {
        int[] truth = {0, 0, 1, 1, 2};
        ClusterScores s = ClusterScores.of(truth, new int[] {7, 7, 3, 3, 9});
        assertEquals(1, s.pairwise().f1(), EPS);
        assertEquals(1, s.bcubed().f1(), EPS);
        assertEquals(1, s.nmi(), EPS);
    }

    @Test
    void limitCasesFollowScikitLearn() {
        // one class, one cluster: NMI 1 (sklearn special case)
        assertEquals(1.0, Nmi.of(new Contingency(new int[] {0, 0, 0}, new int[] {5, 5, 5})), EPS);
        // one class, all singletons: MI = 0 -> NMI 0; no predicted pair -> precision 1, recall 0
        ClusterScores s = ClusterScores.of(new int[] {0, 0, 0, 0}, new int[] {-1, -1, -1, -1});
        assertEquals(0.0, s.nmi(), EPS);
        assertEquals(1.0, s.pairwise().precision(), EPS);
        assertEquals(0.0, s.pairwise().recall(), EPS);
        assertEquals(0.0, s.pairwise().f1(), EPS);
        // BCubed: precision 1 per face, recall 1/4 per face; F = 2 * 1 * 0.25 / 1.25 = 0.4
        assertEquals(0.25, s.bcubed().recall(), EPS);
        assertEquals(0.4, s.bcubed().f1(), EPS);
        // independent labelings: truth {0,0,1,1}, pred {0,1,0,1}: every cell 1, MI = 4 * 1/4 ln(4*1/(2*2)) = 0
        assertEquals(0.0, Nmi.of(new Contingency(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1})), EPS);
        // everyone in one cluster vs two identities: NMI = 0 (H(cluster) = 0, MI = 0)
        assertEquals(0.0, Nmi.of(new Contingency(new int[] {0, 0, 1, 1}, new int[] {3, 3, 3, 3})), EPS);
    }

    @Test
    void nmiOfAnUnevenCaseByHand() {
        // truth {0,0,0,1}, pred {0,0,1,1}: cells (0,0)=2, (0,1)=1, (1,1)=1; a = (3,1), b = (2,2), n = 4
        // MI = 2/4 ln(4*2/(3*2)) + 1/4 ln(4*1/(3*2)) + 1/4 ln(4*1/(1*2)) = 1/2 ln(4/3) + 1/4 ln(2/3) + 1/4 ln 2
        double mi = 0.5 * Math.log(4.0 / 3) + 0.25 * Math.log(2.0 / 3) + 0.25 * Math.log(2);
        double hu = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
        double hv = Math.log(2);
        assertEquals(0.21576155433883565, mi, 1e-15);
        assertEquals(mi / ((hu + hv) / 2), Nmi.of(new Contingency(new int[] {0, 0, 0, 1}, new int[] {0, 0, 1, 1})), EPS);
    }
}
