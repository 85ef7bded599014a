package dev.clpipe.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.augment.AugmentConfig;
import dev.clpipe.augment.MirrorSpec;
import dev.clpipe.augment.RotateSpec;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.cl.parallel.FaultPlan;
import dev.clpipe.nn.CachedBatchSource;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.DeviceSources;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.testing.Tolerance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Data-parallel training whose replicas stream their slices through the augment kernels
 * ({@link CachedBatchSource}, a host slot per batch of a gated stretch each, as a labelled folder or
 * IDX with {@code augment:} does) on two PoCL devices: the weights are those of one device (variants
 * drawn per sample, not per device), also for the second epoch's steps held behind a gate while
 * they are enqueued (a gate longer than the slots would deadlock), and a re-split and a device
 * failing mid-run keep the weights too.
 */
@Tag("multidevice")
class StreamedReplicasMultiDeviceTest {
    /** As ReplicatedTrainerMultiDeviceTest: float rounding of split sums, compounded over a few SGD steps. */
    private static final Tolerance SPLIT = new Tolerance("split-sum", 1e-3, 1e-4);
    private static final Dataset TRAIN = TrainFixtures.data(384, 1);
    private static final Dataset TEST = TrainFixtures.data(40, 2);
    private static final TrainSettings SETTINGS = TrainFixtures.settings(64, 2);
    private static final float MEAN = 0.13f, STD = 0.31f;
    private static final AugmentConfig VIEW = new AugmentConfig(List.of(MirrorSpec.horizontal(0.5), new RotateSpec(0.5, 10)), 21,
            TRAIN.shape().height(), TRAIN.shape().width(), 0);
    private static final DeviceSources AUGMENTED = new DeviceSources(
            d -> new CachedBatchSource(d, TRAIN.rows(), SETTINGS.batch(), MEAN, STD, VIEW), d -> new DeviceDataset(d, TEST, MEAN, STD));
    private static List<ClContext> devices;
    /** One device's weights after each of two epochs. */
    private static final List<List<float[]>> ONE_DEVICE = new ArrayList<>();

    @BeforeAll
    static void trainOnOneDevice() {
        devices = ClRuntime.standard().open("all");
        assertEquals(2, devices.size(), "expected two PoCL devices");
        ClContext device = devices.get(0);
        Trainer trainer = new Trainer(device, TrainFixtures.MODEL, SETTINGS);
        try (SingleDeviceSession single = SingleDeviceSession.of(device, trainer, AUGMENTED)) {
            for (int e = 0; e < 2; e++) {
                single.trainEpoch(n -> { }, () -> false);
                ONE_DEVICE.add(TrainFixtures.weights(trainer.network()));
            }
        }
    }

    @AfterAll
    static void close() {
        devices.forEach(ClContext::close);
    }

    /** The timeout only guards against a deadlock (a gated stretch longer than the host slots); it asserts no speed. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void augmentedSlicesOnTwoDevicesReachTheWeightsOfOneBehindAGateTheirSlotsHold() {
        try (ReplicatedTrainer two = new ReplicatedTrainer(devices, TrainFixtures.MODEL, SETTINGS, AUGMENTED, FaultPlan.NONE, 0)) {
            two.trainEpoch(n -> { }, () -> false);
            assertSameWeights(two, ONE_DEVICE.get(0));
            two.trainEpoch(n -> { }, () -> false); // warmed replicas on CPU devices: these 6 steps are held behind a gate while enqueued
            assertSameWeights(two, ONE_DEVICE.get(1));
            assertEquals("device", stepTiming(two).get("allreduce_on"));
            assertEquals(1L, ((Number) stepTiming(two).get("gated_stretches")).longValue(), "the second epoch, one stretch: small samples get a slot per step");
            assertTrue(two.dataWaitSeconds() >= 0);
            assertEquals(TEST.count(), two.evaluate().count());
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aReSplitAndAFailedDeviceKeepTheWeightsOfOne() {
        try (ReplicatedTrainer two = new ReplicatedTrainer(devices, TrainFixtures.MODEL, SETTINGS, AUGMENTED, FaultPlan.parse("1@8"), 2)) {
            two.trainEpoch(n -> { }, () -> false);
            assertSameWeights(two, ONE_DEVICE.get(0));
            EpochStats second = two.trainEpoch(n -> { }, () -> false); // device 1 fails at step 8, its slice is redone on device 0
            assertSameWeights(two, ONE_DEVICE.get(1));
            TrainFixtures.assertSecondEpochRedoneWithoutDevice1(two, second);
            @SuppressWarnings("unchecked")
            List<Object> splits = (List<Object>) two.deviceMetrics().get("splits");
            assertTrue(splits.size() >= 2, "the start and the failure at least: " + splits);
            assertEquals(TEST.count(), two.evaluate().count());
        }
    }

    private static void assertSameWeights(ReplicatedTrainer trainer, List<float[]> want) {
        List<float[]> got = TrainFixtures.weights(trainer.network());
        for (int i = 0; i < got.size(); i++) SPLIT.assertClose(got.get(i), want.get(i), "parameter " + i);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stepTiming(ReplicatedTrainer trainer) {
        return (Map<String, Object>) trainer.deviceMetrics().get("step_timing");
    }
}
