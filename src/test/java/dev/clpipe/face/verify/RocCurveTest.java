package dev.clpipe.face.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Six labelled pairs worked by hand. Sorted by distance: 0.2 S, 0.3 S, 0.35 D, 0.4 S, 0.5 D, 0.7 D
 * (3 same, 3 different). ROC points (fpr, tpr): (0,0), (0,1/3), (0,2/3), (1/3,2/3), (1/3,1), (2/3,1), (1,1).
 */
class RocCurveTest {
    private static final double[] D = {0.2, 0.3, 0.5, 0.4, 0.7, 0.35};
    private static final boolean[] SAME = {true, true, false, true, false, false};
    private final RocCurve roc = new RocCurve(D, SAME);

    @Test
    void pointsSweepMidpointThresholds() {
        RocCurve.Point[] p = roc.points();
        assertEquals(7, p.length);
        assertEquals(0.325, p[2].threshold(), 1e-12);
        assertEquals(2.0 / 3, p[2].tpr(), 1e-12);
        assertEquals(0.0, p[2].fpr(), 1e-12);
        assertEquals(0.45, p[4].threshold(), 1e-12);
        assertEquals(1.0, p[4].tpr(), 1e-12);
        assertEquals(1.0 / 3, p[4].fpr(), 1e-12);
    }

    @Test
    void aucEqualsTheRankStatistic() {
        // trapezoids: 1/3 * 2/3 + 1/3 * 1 + 1/3 * 1 = 8/9; equally, 8 of the 9 (same, different) pairs are ordered right
        assertEquals(8.0 / 9, roc.auc(), 1e-12);
    }

    @Test
    void accuracyBestThresholdAndEer() {
        // at 0.45: accepted 0.2 S, 0.3 S, 0.35 D, 0.4 S; rejected 0.5 D, 0.7 D -> 5 of 6 right
        assertEquals(5.0 / 6, roc.accuracyAt(0.45), 1e-12);
        // face-api default 0.6 accepts 0.5 D too -> 4 of 6
        assertEquals(4.0 / 6, roc.accuracyAt(0.6), 1e-12);
        // 5/6 is first reached at the midpoint 0.325
        assertEquals(0.325, roc.bestThreshold(), 1e-12);
        assertEquals(5.0 / 6, roc.accuracyAt(roc.bestThreshold()), 1e-12);
        // at t = 0.375 false rejects (0.4 S) = 1/3 and false accepts (0.35 D) = 1/3
        assertEquals(1.0 / 3, roc.equalErrorRate(), 1e-12);
    }

    @Test
    void separablePairsHaveZeroEerAndPerfectAuc() {
        RocCurve r = new RocCurve(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {true, true, false, false});
        assertEquals(1.0, r.auc(), 1e-12);
        assertEquals(0.0, r.equalErrorRate(), 1e-12);
        assertEquals(1.0, r.accuracyAt(r.bestThreshold()), 1e-12);
    }

    @Test
    void needsBothKindsOfPairs() {
        assertThrows(IllegalArgumentException.class, () -> new RocCurve(new double[] {0.1}, new boolean[] {true}));
        assertThrows(IllegalArgumentException.class, () -> new RocCurve(new double[] {0.1}, new boolean[] {true, false}));
    }
}
