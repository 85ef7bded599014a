package dev.clpipe.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Checkpoints;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.Evaluation;
import dev.clpipe.nn.LrSchedule;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.OptimizerSpec;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.TrainingDivergedException;
import dev.clpipe.testing.TestDevices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a small MNIST-like synthetic set (each class a noisy copy of its own pattern):
 * the loss must fall well below its start; checkpoints round-trip exactly; an interrupted and
 * resumed run ends with the very same weights as an uninterrupted one; a diverging run stops
 * naming the step.
 */
public class TrainerTest {
    private static final ModelSpec SMALL = TrainFixtures.smallNet("small", 0.2f, "fc2", 10);

    /** Each class a noisy copy of its own pattern (used by the nn tests too). */
    public static Dataset synthetic(int count, long seed) {
        return TrainFixtures.patterns(SMALL, count, seed, 99, 0.75, 0.25);
    }

    private static TrainSettings settings(OptimizerSpec optimizer, int epochs) {
        return new TrainSettings(32, epochs, optimizer, new LrSchedule(LrSchedule.Kind.COSINE, 5, 1, 1, 0.1), 7, 4);
    }

    @Test
    void lossFallsWellBelowItsStart() {
        ClContext cl = TestDevices.context();
        try (Trainer t = new Trainer(cl, SMALL, settings(OptimizerSpec.adam(0.01, 0), 8));
                DeviceDataset train = new DeviceDataset(cl, synthetic(640, 1), 0.5f, 0.3f);
                DeviceDataset test = new DeviceDataset(cl, synthetic(200, 2), 0.5f, 0.3f)) {
            double before = t.evaluate(test).loss();
            List<EpochStats> epochs = new ArrayList<>();
            for (int e = 0; e < 8; e++) epochs.add(t.trainEpoch(train, n -> { }, () -> false));
            Evaluation after = t.evaluate(test);
            assertTrue(before > 1.5, "an untrained 10-class model starts near ln 10, got " + before);
            assertTrue(after.loss() < 0.25 * before, "test loss " + after.loss() + " should fall well below its start " + before);
            assertTrue(epochs.get(7).loss() < 0.25 * epochs.get(0).loss(), "train losses " + epochs);
            assertTrue(after.accuracy() > 0.9, "accuracy " + after.accuracy());
            assertEquals(200, after.count());
        }
    }

    @Test
    void checkpointRoundTripsExactly(@TempDir Path dir) throws Exception {
        ClContext cl = TestDevices.context();
        OptimizerSpec adam = OptimizerSpec.adam(0.005, 1e-4);
        try (Trainer a = new Trainer(cl, SMALL, settings(adam, 2)); Trainer b = new Trainer(cl, SMALL, settings(adam, 2));
                DeviceDataset train = new DeviceDataset(cl, synthetic(128, 1), 0.5f, 0.3f)) {
            a.trainEpoch(train, n -> { }, () -> false);
            Path saved = a.loop().save(dir, Map.of("note", "x"), List.of());
            assertEquals(saved, Checkpoints.latest(dir).orElseThrow());
            java.nio.file.Files.createDirectories(dir.resolve("epoch-0000"));
            Checkpoints.prune(dir, 1);
            assertEquals(List.of(saved), java.nio.file.Files.list(dir).toList(), "prune keeps the newest");
            Map<String, Object> index = b.loop().restore(saved);
            assertEquals("x", index.get("note"));
            assertEquals(a.epoch(), b.epoch());
            assertEquals(a.step(), b.step());
            assertEquals(a.optimizer().steps(), b.optimizer().steps());
            assertSameWeights(a, b);
            for (String name : a.optimizer().stateNames()) {
                assertArrayEquals(a.optimizer().state().get(name).readFloats(cl.queue()), b.optimizer().state().get(name).readFloats(cl.queue()), name);
            }
        }
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) throws Exception {
        ClContext cl = TestDevices.context();
        OptimizerSpec sgd = OptimizerSpec.sgd(0.05, 0.9, 1e-4);
        try (DeviceDataset train = new DeviceDataset(cl, synthetic(160, 1), 0.5f, 0.3f)) {
            try (Trainer whole = new Trainer(cl, SMALL, settings(sgd, 3));
                    Trainer first = new Trainer(cl, SMALL, settings(sgd, 3));
                    Trainer resumed = new Trainer(cl, SMALL, settings(sgd, 3))) {
                for (int e = 0; e < 3; e++) whole.trainEpoch(train, n -> { }, () -> false);
                first.trainEpoch(train, n -> { }, () -> false);
                Path checkpoint = first.loop().save(dir, Map.of(), List.of());
                int[] calls = {0};
                assertEquals(null, first.trainEpoch(train, n -> { }, () -> calls[0]++ > 2), "an interrupted epoch is not counted");
                resumed.loop().restore(checkpoint);
                assertEquals(1, resumed.epoch());
                while (resumed.epoch() < 3) resumed.trainEpoch(train, n -> { }, () -> false);
                assertEquals(whole.step(), resumed.step());
                assertSameWeights(whole, resumed);
            }
        }
    }

    @Test
    void divergingRunStopsNamingTheStep() {
        ClContext cl = TestDevices.context();
        try (Trainer t = new Trainer(cl, SMALL, settings(OptimizerSpec.sgd(1e12, 0, 0), 1));
                DeviceDataset train = new DeviceDataset(cl, synthetic(320, 1), 0.5f, 0.3f)) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.trainEpoch(train, n -> { }, () -> false));
            assertTrue(e.getMessage().contains("step " + e.step()), e.getMessage());
            assertTrue(e.step() >= 0 && e.step() < 10, e.getMessage());
        }
    }

    static void assertSameWeights(Trainer a, Trainer b) {
        TrainFixtures.assertSameWeights(a.network(), b.network());
    }
}
