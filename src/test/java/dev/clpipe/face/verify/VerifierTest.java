package dev.clpipe.face.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VerifierTest {
    @Test
    void samePersonBelowTheThresholdOnly() {
        float[] a = {0, 0, 0};
        float[] b = {0.3f, 0.4f, 0};
        assertEquals(0.5, Verifier.distance(a, b), 1e-7);
        assertTrue(Verifier.faceApi().samePerson(a, b));
        assertFalse(new Verifier(0.5).samePerson(new float[] {0}, new float[] {0.5f}), "d == threshold is not the same person");
    }

    @Test
    void rejectsBadThresholdsAndLengths() {
        assertThrows(IllegalArgumentException.class, () -> new Verifier(0));
        assertThrows(IllegalArgumentException.class, () -> Verifier.distance(new float[2], new float[3]));
    }
}
