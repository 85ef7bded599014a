package dev.clpipe.face.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Verification pairs, 1-shot identification and the one-shot report on embeddings of known structure. */
class OneShotReportTest {
    private static final int DIM = 6;

    /** Unit-ish points around one centre per label; {@code spread} 0 = tight clusters, large = noise only. */
    private static float[] embeddings(int[] labels, double spread, long seed) {
        Random r = new Random(seed);
        float[] e = new float[labels.length * DIM];
        for (int i = 0; i < labels.length; i++) {
            for (int k = 0; k < DIM; k++) {
                double centre = k == labels[i] % DIM ? 1 : 0;
                e[i * DIM + k] = (float) (centre + spread * r.nextGaussian());
            }
        }
        return e;
    }

    private static int[] labels(int n, int classes, int offset) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = offset + i % classes;
        return l;
    }

    @Test
    void pairsAreBalancedLabelledAndReproducible() {
        int[] labels = labels(90, 3, 7);
        float[] e = embeddings(labels, 0.05, 1);
        VerificationPairs a = VerificationPairs.sample(e, DIM, labels, 200, 3);
        assertEquals(400, a.distances().length);
        int same = 0;
        for (int k = 0; k < 400; k++) {
            if (a.same()[k]) {
                same++;
                assertTrue(a.distances()[k] < 0.5 && a.distances()[k] > 0, "a same pair of tight clusters is close and not an image with itself");
            } else {
                assertTrue(a.distances()[k] > 1, "a different pair is about sqrt(2) apart");
            }
        }
        assertEquals(200, same);
        VerificationPairs b = VerificationPairs.sample(e, DIM, labels, 200, 3);
        assertArrayEquals(a.distances(), b.distances());
    }

    @Test
    void separatedClustersScorePerfectlyNoiseScoresChance() {
        int[] val = labels(300, 5, 0), unseen = labels(240, 3, 7);
        OneShotReport good = OneShotReport.evaluate(embeddings(val, 0.05, 1), val, embeddings(unseen, 0.05, 2), unseen, DIM, 500, 400, 9);
        assertEquals(1.0, good.auc(), 1e-12);
        assertEquals(1.0, good.accuracy(), 1e-12);
        assertEquals(0.0, good.eer(), 1e-12);
        assertEquals(1.0, good.identification().accuracy(), 1e-12);
        assertEquals(3, good.identification().ways());
        assertEquals(1000, good.pairs());

        OneShotReport noise = OneShotReport.evaluate(embeddings(val, 50, 3), val, embeddings(unseen, 50, 4), unseen, DIM, 2000, 3000, 9);
        assertEquals(0.5, noise.auc(), 0.04);
        assertEquals(0.5, noise.eer(), 0.04);
        assertEquals(1.0 / 3, noise.identification().accuracy(), 0.04);
    }

    @Test
    void thresholdComesFromValidationNotFromTheUnseenPairs() {
        // validation clusters are twice as spread out as the unseen ones: its best threshold is too large for them,
        // so the reported accuracy is below what an oracle threshold on the unseen pairs gets
        int[] val = labels(300, 5, 0), unseen = labels(240, 3, 7);
        float[] v = embeddings(val, 0.3, 1);
        float[] u = embeddings(unseen, 0.3, 2);
        for (int i = 0; i < u.length; i++) u[i] *= 3;
        OneShotReport r = OneShotReport.evaluate(v, val, u, unseen, DIM, 1000, 100, 9);
        assertEquals(VerificationPairs.sample(v, DIM, val, 1000, 9).roc().bestThreshold(), r.threshold(), 1e-12);
        assertTrue(r.accuracy() < r.oracleAccuracy() - 0.05, r.accuracy() + " vs oracle " + r.oracleAccuracy());
    }

    @Test
    void inputsThatCannotFormPairsAreRejected() {
        int[] one = {4, 4, 4};
        assertThrows(IllegalArgumentException.class, () -> VerificationPairs.sample(new float[3 * DIM], DIM, one, 5, 1));
        int[] single = {1, 2, 2};
        assertThrows(IllegalArgumentException.class, () -> OneShotIdentification.run(new float[3 * DIM], DIM, single, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> VerificationPairs.sample(new float[5], DIM, single, 5, 1));
    }
}
