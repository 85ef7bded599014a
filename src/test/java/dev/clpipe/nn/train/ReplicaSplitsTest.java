package dev.clpipe.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The split by speed moves in whole steps of 1/16 of the batch, and a step's predicted time is the slowest device's. */
class ReplicaSplitsTest {
    @Test
    void splitsInStepsOfASixteenthOfTheBatch() {
        assertArrayEquals(new int[] {128, 128}, ReplicaSplits.quantised(256, new double[] {1.0, 1.03}));
        assertArrayEquals(new int[] {112, 144}, ReplicaSplits.quantised(256, new double[] {1.0, 1.3}));
        for (double ratio = 0.2; ratio < 5; ratio *= 1.07) {
            for (int batch : new int[] {256, 128, 100, 17, 2}) {
                int[] rows = ReplicaSplits.quantised(batch, new double[] {1.0, ratio});
                assertEquals(batch, Arrays.stream(rows).sum(), "batch " + batch);
                int quantum = Math.max(1, batch / ReplicaSplits.STEPS_OF_BATCH);
                assertEquals(0, rows[1] % quantum, "batch " + batch + " ratio " + ratio + ": " + Arrays.toString(rows));
                assertEquals(true, rows[0] > 0 && rows[1] > 0, Arrays.toString(rows));
            }
        }
    }

    @Test
    void aStepTakesAsLongAsItsSlowestDevice() {
        assertEquals(2.0, ReplicaSplits.stepTime(new int[] {100, 156}, new double[] {50, 100}), 1e-12);
        assertEquals(1.56, ReplicaSplits.stepTime(new int[] {100, 156}, new double[] {200, 100}), 1e-12);
    }
}
