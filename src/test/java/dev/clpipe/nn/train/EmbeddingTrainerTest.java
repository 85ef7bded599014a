package dev.clpipe.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.face.verify.VerificationPairs;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.LrSchedule;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.OptimizerSpec;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.TrainingDivergedException;
import dev.clpipe.nn.TripletSettings;
import dev.clpipe.testing.TestDevices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triplet training on the synthetic set of {@link TrainerTest} (noisy copies of one pattern per
 * class): the loss falls and held-out images of the classes separate; embeddings are unit rows;
 * a run resumed from a checkpoint ends with the very same weights; a non-finite loss stops the
 * run naming the step.
 */
class EmbeddingTrainerTest {
    private static final ModelSpec EMBEDDER = TrainFixtures.smallNet("embedder", 0, "embedding", 8);

    private static TripletSettings settings(OptimizerSpec optimizer, int epochs) {
        return new TripletSettings(4, 4, 0.2, epochs, optimizer, new LrSchedule(LrSchedule.Kind.COSINE, 5, 1, 1, 0.1), 7, 3);
    }

    private static double auc(EmbeddingTrainer t, DeviceDataset data) {
        return VerificationPairs.sample(t.embed(data), t.dim(), data.data().labels(), 400, 1).roc().auc();
    }

    @Test
    void lossFallsAndHeldOutImagesSeparate() {
        ClContext cl = TestDevices.context();
        try (EmbeddingTrainer t = new EmbeddingTrainer(cl, EMBEDDER, settings(OptimizerSpec.adam(0.01, 0), 6));
                DeviceDataset train = new DeviceDataset(cl, TrainerTest.synthetic(640, 1), 0.5f, 0.3f);
                DeviceDataset test = new DeviceDataset(cl, TrainerTest.synthetic(203, 2), 0.5f, 0.3f)) {
            double before = auc(t, test);
            double lossBefore = t.validationLoss(test).loss();
            List<EmbeddingEpoch> epochs = new ArrayList<>();
            for (int e = 0; e < 6; e++) epochs.add(t.trainEpoch(train, n -> { }, () -> false));
            double after = auc(t, test);
            assertTrue(after > 0.97 && after > before + 0.05, "AUC before " + before + ", after " + after);
            assertTrue(t.validationLoss(test).loss() < 0.5 * lossBefore, "validation loss should halve from " + lossBefore);
            assertTrue(epochs.get(5).loss() < 0.5 * epochs.get(0).loss(), "train losses " + epochs);
            float[] e = t.embed(test);
            assertEquals(203 * 8, e.length, "every image, the last partial batch included");
            for (int r = 0; r < 203; r++) {
                double n = 0;
                for (int k = 0; k < 8; k++) n += e[r * 8 + k] * e[r * 8 + k];
                assertEquals(1.0, n, 1e-4, "row " + r + " is L2-normalised");
            }
        }
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) throws Exception {
        ClContext cl = TestDevices.context();
        OptimizerSpec adam = OptimizerSpec.adam(0.005, 1e-4);
        try (DeviceDataset train = new DeviceDataset(cl, TrainerTest.synthetic(200, 1), 0.5f, 0.3f);
                EmbeddingTrainer whole = new EmbeddingTrainer(cl, EMBEDDER, settings(adam, 3));
                EmbeddingTrainer first = new EmbeddingTrainer(cl, EMBEDDER, settings(adam, 3));
                EmbeddingTrainer resumed = new EmbeddingTrainer(cl, EMBEDDER, settings(adam, 3))) {
            for (int e = 0; e < 3; e++) whole.trainEpoch(train, n -> { }, () -> false);
            first.trainEpoch(train, n -> { }, () -> false);
            Path checkpoint = first.loop().save(dir, Map.of(), List.of());
            int[] calls = {0};
            assertEquals(null, first.trainEpoch(train, n -> { }, () -> calls[0]++ > 2), "an interrupted epoch is not counted");
            resumed.loop().restore(checkpoint);
            assertEquals(1, resumed.loop().epoch());
            while (resumed.loop().epoch() < 3) resumed.trainEpoch(train, n -> { }, () -> false);
            assertEquals(whole.loop().step(), resumed.loop().step());
            TrainFixtures.assertSameWeights(whole.network(), resumed.network());
        }
    }

    @Test
    void nonFiniteLossStopsNamingTheStepAndTheParameter() {
        // a NaN weight in the embedding layer makes every embedding, so every loss, NaN from the first step on
        ClContext cl = TestDevices.context();
        try (EmbeddingTrainer t = new EmbeddingTrainer(cl, EMBEDDER, settings(OptimizerSpec.adam(0.01, 0), 1));
                DeviceDataset train = new DeviceDataset(cl, TrainerTest.synthetic(320, 1), 0.5f, 0.3f)) {
            Param last = t.network().params().stream().filter(p -> p.name().equals("embedding.weight")).findFirst().orElseThrow();
            last.value().fill(cl.queue(), Float.NaN);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.trainEpoch(train, n -> { }, () -> false));
            assertEquals(0, e.step(), e.getMessage());
            assertTrue(e.getMessage().contains("step 0") && e.getMessage().contains("holds NaN"), e.getMessage());
        }
    }
}
