package dev.clpipe.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.cl.parallel.FaultPlan;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceSources;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * LeNet-5 trained on two PoCL devices (POCL_DEVICES="pthread pthread", the {@code multidevice}
 * Surefire execution) ends with the weights one device reaches, within float rounding; the
 * batch is split between both devices; a device that fails mid-run is dropped and the run still
 * ends with those weights, every row counted once.
 */
@Tag("multidevice")
class ReplicatedTrainerMultiDeviceTest {
    /** Float rounding of split sums, compounded over a few SGD steps. */
    private static final Tolerance SPLIT = new Tolerance("split-sum", 1e-3, 1e-4);
    private static List<ClContext> devices;
    private static final Dataset TRAIN = TrainFixtures.data(384, 1);
    private static final Dataset TEST = TrainFixtures.data(40, 2);
    private static final TrainSettings SETTINGS = TrainFixtures.settings(64, 1);
    private static List<float[]> oneDevice;
    private static EpochStats oneDeviceStats;

    @BeforeAll
    static void trainOnOneDevice() {
        devices = ClRuntime.standard().open("all");
        assertEquals(2, devices.size(), "expected two PoCL devices");
        try (SingleDeviceSession single = SingleDeviceSession.of(devices.get(0), new Trainer(devices.get(0), TrainFixtures.MODEL, SETTINGS), DeviceSources.uploaded(TRAIN, TEST, 0.13f, 0.31f))) {
            oneDeviceStats = single.trainEpoch(n -> { }, () -> false);
            oneDevice = TrainFixtures.weights(single.trainer().network());
        }
    }

    @AfterAll
    static void close() {
        devices.forEach(ClContext::close);
    }

    @Test
    void twoDevicesReachTheWeightsOfOne() {
        try (ReplicatedTrainer two = new ReplicatedTrainer(devices, TrainFixtures.MODEL, SETTINGS, TRAIN, TEST, 0.13f, 0.31f, FaultPlan.NONE, 2)) {
            EpochStats stats = two.trainEpoch(n -> { }, () -> false);
            assertSameWeights(two);
            assertEquals(oneDeviceStats.loss(), stats.loss(), 1e-4);
            List<Map<String, Object>> shares = devices(two);
            assertEquals(2, shares.size());
            long rows0 = (long) shares.get(0).get("rows"), rows1 = (long) shares.get(1).get("rows");
            assertEquals(6L * 64, rows0 + rows1, "every row of every step counted once");
            assertTrue(rows0 > 0 && rows1 > 0, "both devices took part: " + shares);
            assertEquals(2, two.split().length);
            assertTrue(((List<?>) two.deviceMetrics().get("failures")).isEmpty());
            @SuppressWarnings("unchecked")
            int splits = ((List<Object>) two.deviceMetrics().get("splits")).size();
            assertEquals(1L + (splits - 1), ((Number) stepTiming(two).get("runs")).longValue(),
                    "the devices drain at the epoch's end and for each re-split, not at every look at their speed (every 2 steps)");
        }
    }

    @Test
    void theDeviceAllReduceGivesTheFloatsOfTheHostOne() {
        assertTrue(devices.get(0).sharesContextWith(devices.get(1)), "open(\"all\") puts the devices of one platform in one context");
        List<float[]> onDevice, onHost; // the same fixed split (no re-split by measured speed), so the same float rounding
        try (ReplicatedTrainer two = new ReplicatedTrainer(devices, TrainFixtures.MODEL, SETTINGS, TRAIN, TEST, 0.13f, 0.31f, FaultPlan.NONE, 0)) {
            two.trainEpoch(n -> { }, () -> false);
            two.trainEpoch(n -> { }, () -> false); // a second run of the same replicas
            assertEquals("device", stepTiming(two).get("allreduce_on"));
            assertTrue(((Number) stepTiming(two).get("gated_stretches")).longValue() >= 1, "CPU devices: the second epoch's steps were held behind a gate");
            onDevice = TrainFixtures.weights(two.network());
        }
        try (ReplicatedTrainer two = new ReplicatedTrainer(devices, TrainFixtures.MODEL, SETTINGS, TRAIN, TEST, 0.13f, 0.31f, FaultPlan.NONE, 0)
                .reduceOnHost()) {
            two.trainEpoch(n -> { }, () -> false);
            two.trainEpoch(n -> { }, () -> false);
            assertEquals("host", stepTiming(two).get("allreduce_on"));
            onHost = TrainFixtures.weights(two.network());
        }
        for (int i = 0; i < onHost.size(); i++) assertArrayEquals(onHost.get(i), onDevice.get(i), "parameter " + i);
    }

    @Test
    void aDeviceFailingInsideAGatedStretchIsDroppedAndItsWorkRedone() {
        List<float[]> twoEpochs;
        try (SingleDeviceSession single = SingleDeviceSession.of(devices.get(0), new Trainer(devices.get(0), TrainFixtures.MODEL, SETTINGS), DeviceSources.uploaded(TRAIN, TEST, 0.13f, 0.31f))) {
            single.trainEpoch(n -> { }, () -> false);
            single.trainEpoch(n -> { }, () -> false);
            twoEpochs = TrainFixtures.weights(single.trainer().network());
        }
        try (ReplicatedTrainer two = new ReplicatedTrainer(devices, TrainFixtures.MODEL, SETTINGS, TRAIN, TEST, 0.13f, 0.31f,
                FaultPlan.parse("1@8"), 0)) {
            two.trainEpoch(n -> { }, () -> false);
            EpochStats second = two.trainEpoch(n -> { }, () -> false); // steps 6-11: held behind a gate, device 1 fails at step 8
            assertTrue(((Number) stepTiming(two).get("gated_stretches")).longValue() >= 1);
            TrainFixtures.assertSecondEpochRedoneWithoutDevice1(two, second);
            List<float[]> got = TrainFixtures.weights(two.network());
            for (int i = 0; i < got.size(); i++) SPLIT.assertClose(got.get(i), twoEpochs.get(i), "parameter " + i);
        }
    }

    @Test
    void aFailedDeviceIsDroppedAndItsWorkRedone() {
        try (ReplicatedTrainer two = new ReplicatedTrainer(devices, TrainFixtures.MODEL, SETTINGS, TRAIN, TEST, 0.13f, 0.31f,
                FaultPlan.parse("1@3"), 2)) {
            EpochStats stats = two.trainEpoch(n -> { }, () -> false);
            assertSameWeights(two);
            assertEquals(6, two.step());
            assertEquals(6L * 64, stats.images());
            assertEquals(oneDeviceStats.loss(), stats.loss(), 1e-4);
            assertEquals(1, two.devices().size());
            assertEquals(64, two.split()[0]);
            List<Map<String, Object>> shares = devices(two);
            long rows0 = (long) shares.get(0).get("rows"), rows1 = (long) shares.get(1).get("rows");
            assertTrue(rows1 >= 3 && rows1 <= 3 * 63, "device 1 did part of steps 0-2 before it failed: " + rows1);
            assertEquals(6L * 64 - rows1, rows0, "device 0 did the rest, the redone step once");
            assertTrue(shares.get(1).containsKey("failed"));
            assertFalse(shares.get(0).containsKey("failed"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> failures = (List<Map<String, Object>>) two.deviceMetrics().get("failures");
            assertEquals(1, failures.size());
            assertEquals(3L, failures.get(0).get("step"));
            assertTrue(two.evaluate().count() == TEST.count());
        }
    }

    @Test
    void dropoutMasksDoNotDependOnTheSplit() {
        Dataset train = TrainFixtures.data(TrainFixtures.DROPOUT, 240, 3);
        Dataset test = TrainFixtures.data(TrainFixtures.DROPOUT, 20, 4);
        TrainSettings settings = TrainFixtures.settings(48, 1);
        List<float[]> want;
        try (SingleDeviceSession single = SingleDeviceSession.of(devices.get(0), new Trainer(devices.get(0), TrainFixtures.DROPOUT, settings), DeviceSources.uploaded(train, test, 0.5f, 0.3f))) {
            single.trainEpoch(n -> { }, () -> false);
            want = TrainFixtures.weights(single.trainer().network());
        }
        try (ReplicatedTrainer two = new ReplicatedTrainer(devices, TrainFixtures.DROPOUT, settings, train, test, 0.5f, 0.3f, FaultPlan.NONE, 0)) {
            two.trainEpoch(n -> { }, () -> false);
            List<float[]> got = TrainFixtures.weights(two.network());
            for (int i = 0; i < got.size(); i++) SPLIT.assertClose(got.get(i), want.get(i), "parameter " + i);
        }
    }

    private static void assertSameWeights(ReplicatedTrainer trainer) {
        List<float[]> got = TrainFixtures.weights(trainer.network());
        for (int i = 0; i < got.size(); i++) SPLIT.assertClose(got.get(i), oneDevice.get(i), "parameter " + i);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stepTiming(ReplicatedTrainer trainer) {
        return (Map<String, Object>) trainer.deviceMetrics().get("step_timing");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> devices(ReplicatedTrainer trainer) {
        return (List<Map<String, Object>>) trainer.deviceMetrics().get("devices");
    }
}
