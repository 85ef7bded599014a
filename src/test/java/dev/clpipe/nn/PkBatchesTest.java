package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** P x K epoch plans: permutations whose batches hold P classes of K images each, reproducible per (seed, epoch). */
class PkBatchesTest {
    /** Imbalanced classes (sizes 3 .. 40) with labels that are not 0..n-1. */
    private static int[] labels(long seed) {
        Random r = new Random(seed);
        int[] sizes = {40, 3, 25, 17, 33, 9, 28};
        int total = Arrays.stream(sizes).sum();
        int[] l = new int[total];
        int k = 0;
        for (int c = 0; c < sizes.length; c++) for (int i = 0; i < sizes[c]; i++) l[k++] = 10 + 2 * c;
        for (int i = l.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = l[i];
            l[i] = l[j];
            l[j] = t;
        }
        return l;
    }

    @Test
    void batchesHoldPClassesOfKImagesAndTheOrderIsAPermutation() {
        int[] labels = labels(1);
        for (int[] pk : new int[][] {{2, 2}, {3, 4}, {4, 5}, {6, 3}, {2, 9}}) {
            PkBatches pkb = new PkBatches(pk[0], pk[1]);
            PkBatches.Plan plan = pkb.plan(labels, 7, 0);
            int[] sorted = plan.order().clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i], "permutation for " + Arrays.toString(pk));
            assertTrue(plan.batches() > 0);
            for (int b = 0; b < plan.batches(); b++) {
                Map<Integer, Integer> counts = new HashMap<>();
                for (int i = 0; i < pkb.batchSize(); i++) counts.merge(labels[plan.order()[b * pkb.batchSize() + i]], 1, Integer::sum);
                assertEquals(pk[0], counts.size(), "classes in batch " + b);
                for (int n : counts.values()) assertEquals(pk[1], n, "images per class in batch " + b);
            }
            // the epoch ends only when fewer than P classes still have K unused images
            Map<Integer, Integer> left = new HashMap<>();
            for (int i = plan.batches() * pkb.batchSize(); i < labels.length; i++) left.merge(labels[plan.order()[i]], 1, Integer::sum);
            long fullGroups = left.values().stream().filter(n -> n >= pk[1]).count();
            assertTrue(fullGroups < pk[0], "leftover " + left + " could still fill a batch of " + Arrays.toString(pk));
        }
    }

    @Test
    void sameSeedAndEpochGiveTheSamePlanOthersDiffer() {
        int[] labels = labels(2);
        PkBatches pkb = new PkBatches(3, 4);
        assertArrayEquals(pkb.plan(labels, 5, 1).order(), pkb.plan(labels, 5, 1).order());
        assertFalse(Arrays.equals(pkb.plan(labels, 5, 1).order(), pkb.plan(labels, 5, 2).order()));
        assertFalse(Arrays.equals(pkb.plan(labels, 5, 1).order(), pkb.plan(labels, 6, 1).order()));
    }

    @Test
    void classesRunOutTogether() {
        // balanced draws: a 7-class set of 60 each with P=3 uses nearly every image
        int[] labels = new int[420];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 7;
        PkBatches pkb = new PkBatches(3, 5);
        PkBatches.Plan plan = pkb.plan(labels, 11, 0);
        assertTrue(plan.batches() * pkb.batchSize() >= 420 - 2 * 15, "batches " + plan.batches());
        Set<Integer> firstBatch = new HashSet<>();
        for (int i = 0; i < 15; i++) firstBatch.add(plan.order()[i]);
        assertEquals(15, firstBatch.size());
    }

    @Test
    void rejectsBatchesWithoutPositivesOrNegatives() {
        assertThrows(IllegalArgumentException.class, () -> new PkBatches(1, 4));
        assertThrows(IllegalArgumentException.class, () -> new PkBatches(4, 1));
        int[] labels = {0, 0, 0, 1, 1, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PkBatches(2, 3).requireFits(labels, "tiny"));
        assertTrue(e.getMessage().contains("tiny") && e.getMessage().contains("only 1 classes"), e.getMessage());
        new PkBatches(2, 2).requireFits(labels, "tiny");
    }
}
