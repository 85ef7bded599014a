package dev.clpipe.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.parallel.FaultPlan;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceSources;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The data-parallel trainer on one device must be the plain {@link Trainer}: the host
 * round trip of the gradient (times rows/batch = 1) changes no bit. Two devices: see
 * {@link ReplicatedTrainerMultiDeviceTest}.
 */
class ReplicatedTrainerTest {
    @Test
    void oneReplicaTrainsExactlyLikeTheTrainer() {
        ClContext device = TestDevices.context();
        Dataset train = TrainFixtures.data(192, 1);
        Dataset test = TrainFixtures.data(40, 2);
        TrainSettings settings = TrainFixtures.settings(32, 2);
        List<float[]> want;
        EpochStats wantStats;
        try (SingleDeviceSession single = SingleDeviceSession.of(device, new Trainer(device, TrainFixtures.MODEL, settings), DeviceSources.uploaded(train, test, 0.13f, 0.31f))) {
            single.trainEpoch(n -> { }, () -> false);
            wantStats = single.trainEpoch(n -> { }, () -> false);
            want = TrainFixtures.weights(single.trainer().network());
        }
        try (ReplicatedTrainer replicated = new ReplicatedTrainer(List.of(device), TrainFixtures.MODEL, settings, train, test, 0.13f, 0.31f,
                FaultPlan.NONE, 2)) {
            replicated.trainEpoch(n -> { }, () -> false);
            EpochStats got = replicated.trainEpoch(n -> { }, () -> false);
            List<float[]> weights = TrainFixtures.weights(replicated.network());
            for (int i = 0; i < want.size(); i++) Tolerance.EXACT.assertClose(weights.get(i), want.get(i), "parameter " + i);
            assertEquals(wantStats.loss(), got.loss(), 1e-6);
            assertEquals(wantStats.accuracy(), got.accuracy(), 1e-6);
            assertEquals(12, replicated.step());
            @SuppressWarnings("unchecked")
            Map<String, Object> d = ((List<Map<String, Object>>) replicated.deviceMetrics().get("devices")).get(0);
            assertEquals(12L * 32, d.get("rows"));
            assertTrue((double) d.get("busy_seconds") > 0);
        }
    }
}
