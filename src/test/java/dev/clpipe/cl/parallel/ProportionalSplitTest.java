package dev.clpipe.cl.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProportionalSplitTest {
    @Test
    void equalSpeedsSplitEvenlyWithTheRemainderFirst() {
        assertArrayEquals(new int[] {64, 64}, ProportionalSplit.of(128, new double[] {5, 5}));
        assertArrayEquals(new int[] {43, 43, 42}, ProportionalSplit.of(128, new double[] {1, 1, 1}));
    }

    @Test
    void sharesFollowSpeedAndAlwaysSumToTheBatch() {
        assertArrayEquals(new int[] {32, 96}, ProportionalSplit.of(128, new double[] {100, 300}));
        assertArrayEquals(new int[] {1, 99}, ProportionalSplit.of(100, new double[] {1e-9, 1}), "a slow device keeps one row");
        Random r = new Random(3);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + r.nextInt(5);
            int total = n + r.nextInt(300);
            double[] speeds = r.doubles(n, 0.01, 10).toArray();
            int[] rows = ProportionalSplit.of(total, speeds);
            assertEquals(total, Arrays.stream(rows).sum());
            double sum = Arrays.stream(speeds).sum();
            for (int i = 0; i < n; i++) {
                assertTrue(rows[i] >= 1);
                assertTrue(Math.abs(rows[i] - total * speeds[i] / sum) <= n + 1, "rows " + Arrays.toString(rows) + " for " + Arrays.toString(speeds));
            }
        }
    }

    @Test
    void refusesWhatCannotBeSplit() {
        assertThrows(IllegalArgumentException.class, () -> ProportionalSplit.of(1, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> ProportionalSplit.of(8, new double[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> ProportionalSplit.of(8, new double[0]));
    }

    @Test
    void differsOnlyBeyondTheTolerance() {
        assertFalse(ProportionalSplit.differs(new int[] {64, 64}, new int[] {65, 63}, 4));
        assertTrue(ProportionalSplit.differs(new int[] {64, 64}, new int[] {68, 60}, 4));
        assertTrue(ProportionalSplit.differs(new int[] {64, 64}, new int[] {128}, 4));
    }
}
