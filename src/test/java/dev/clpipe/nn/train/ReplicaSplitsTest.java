package dev.clpipe.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clpipe.cl.parallel.DeviceShare;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The split by speed moves in whole steps of 1/16 of the batch, only when two checks in a row agree
 * on a gain of at least MIN_GAIN, with speeds averaged over each check's window of steps, and a
 * step's predicted time is the slowest device's.
 */
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
    void equalDevicesWithJitterStayEqual() {
        ReplicaSplits splits = new ReplicaSplits(256);
        int[] even = {128, 128};
        for (int check = 0; check < 20; check++) { // each check sees the other device 30% faster: noise, not a trend
            double[] speeds = check % 2 == 0 ? new double[] {1.0, 1.3} : new double[] {1.3, 1.0};
            assertNull(splits.worthMoving(even, speeds), "check " + check);
        }
    }

    @Test
    void aFasterDeviceGetsMoreRowsWhenTwoChecksAgree() {
        ReplicaSplits splits = new ReplicaSplits(256);
        int[] even = {128, 128};
        double[] speeds = {1.0, 1.5};
        assertNull(splits.worthMoving(even, speeds), "one look is not enough");
        assertArrayEquals(new int[] {96, 160}, splits.worthMoving(even, speeds));
        assertNull(splits.worthMoving(new int[] {96, 160}, speeds), "there already");
        assertNull(splits.worthMoving(even, new double[] {1.0, 1.03}), "a gain under MIN_GAIN");
    }

    @Test
    void twoSlowStepsInAWindowDoNotMoveTheSplit() {
        ReplicaSplits splits = new ReplicaSplits(256);
        DeviceShare a = new DeviceShare(0, "a"), b = new DeviceShare(1, "b");
        int[] even = {128, 128};
        for (int check = 0; check < 3; check++) {
            for (int step = 0; step < 40; step++) {
                a.record(128, 0.008);
                b.record(128, step >= 38 ? 0.012 : 0.008); // the host thread took b's core for its last two steps
            }
            assertNull(splits.worthMoving(even, splits.windowSpeeds(List.of(a, b))), "check " + check);
        }
        assertArrayEquals(new int[] {112, 144}, ReplicaSplits.quantised(256, new double[] {b.speed(), a.speed()}),
                "a speed smoothed over the last steps would have moved the split");
    }

    @Test
    void aDeviceSlowerOverWholeWindowsGetsFewerRows() {
        ReplicaSplits splits = new ReplicaSplits(256);
        DeviceShare a = new DeviceShare(0, "a"), b = new DeviceShare(1, "b");
        int[] even = {128, 128}, moved = null;
        for (int check = 0; check < 2; check++) {
            for (int step = 0; step < 40; step++) {
                a.record(128, 0.008);
                b.record(128, 0.011);
            }
            moved = splits.worthMoving(even, splits.windowSpeeds(List.of(a, b)));
        }
        assertArrayEquals(new int[] {144, 112}, moved);
    }

    @Test
    void aWindowCountsOnlyOnceEveryDeviceWorkedLongEnough() {
        ReplicaSplits splits = new ReplicaSplits(128), tenSteps = new ReplicaSplits(128);
        DeviceShare a = new DeviceShare(0, "a"), b = new DeviceShare(1, "b");
        int[] even = {64, 64}, movedOnTenSteps = null;
        for (int check = 0; check < 6; check++) { // a check every 10 steps (50 ms)
            for (int step = 0; step < 10; step++) {
                a.record(64, 0.005);
                b.record(64, check < 2 && step < 2 ? 0.015 : 0.005); // the host's bursts took b's core twice in each of the first two checks
            }
            if (check < 2) movedOnTenSteps = tenSteps.worthMoving(even, new double[] {64 * 10 / 0.05, 64 * 10 / 0.07});
            double[] speeds = splits.windowSpeeds(List.of(a, b));
            if (check < 5) {
                assertNull(speeds, "check " + check + ": a window of " + (check + 1) * 10 + " steps is too short to tell");
            } else { // 60 steps, 0.3 s on a: the window closes, and four slow steps in 60 do not move the split
                assertNotNull(speeds);
                assertNull(splits.worthMoving(even, speeds));
            }
        }
        assertArrayEquals(new int[] {72, 56}, movedOnTenSteps, "windows of ten steps would have moved it");
    }

    @Test
    void aStepTakesAsLongAsItsSlowestDevice() {
        assertEquals(2.0, ReplicaSplits.stepTime(new int[] {100, 156}, new double[] {50, 100}), 1e-12);
        assertEquals(1.56, ReplicaSplits.stepTime(new int[] {100, 156}, new double[] {200, 100}), 1e-12);
    }
}
