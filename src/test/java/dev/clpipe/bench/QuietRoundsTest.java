package dev.clpipe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuietRoundsTest {
    private static CoreProbe.Reading reading(double single, double scaling) {
        return new CoreProbe.Reading(single, scaling, 1.0);
    }

    @Test
    void aRoundIsQuietOnlyWhenEveryReadingScaledAtFullSpeed() {
        QuietRounds rounds = new QuietRounds(2, 4);
        for (int r = 0; r < 4; r++) rounds.add(r, reading(100, 1.98));
        rounds.add(1, reading(100, 1.85)); // one reading below 0.95 * 2 cores: a shared moment inside the round
        rounds.add(2, reading(89, 1.99)); // the single thread at 0.89 of the run's fastest
        rounds.add(3, reading(90, 1.90)); // exactly at both limits
        QuietRounds.Verdict verdict = rounds.result();
        assertEquals(List.of(0, 3), verdict.rounds());
        assertEquals(1.85, verdict.scaling().get(1), 1e-12);
        assertEquals(0.89, verdict.speed().get(2), 1e-12);
        assertEquals(1.0, verdict.speed().get(0), 1e-12);
    }

    @Test
    void theMedianIsOverTheQuietRoundsOnly() {
        QuietRounds rounds = new QuietRounds(2, 5);
        double[] scaling = {1.99, 1.2, 1.97, 1.96, 1.95};
        for (int r = 0; r < 5; r++) rounds.add(r, reading(100, scaling[r]));
        QuietRounds.Verdict verdict = rounds.result();
        double[] ratios = {1.9, 3.0, 1.7, 1.8, 1.6};
        assertEquals(List.of(0, 2, 3, 4), verdict.rounds());
        assertEquals(1.75, verdict.median(ratios), 1e-12, "even count: the mean of the middle two");
        Map<String, Object> json = verdict.toJson(List.of(1.9, 3.0, 1.7, 1.8, 1.6));
        assertEquals(List.of(1, 3, 4, 5), json.get("quiet_rounds"), "1-based, as the log numbers rounds");
        assertEquals(1.75, (Double) json.get("speedup_over_one_device_quiet_rounds"), 1e-12);
    }

    @Test
    void noQuietRoundLeavesTheQuietMedianOut() {
        QuietRounds rounds = new QuietRounds(2, 2);
        rounds.add(0, reading(100, 1.0));
        rounds.add(1, reading(100, 1.3));
        QuietRounds.Verdict verdict = rounds.result();
        assertTrue(verdict.rounds().isEmpty());
        assertTrue(Double.isNaN(verdict.median(new double[] {1.5, 1.6})));
        Map<String, Object> json = verdict.toJson(List.of(1.5, 1.6));
        assertFalse(json.containsKey("speedup_over_one_device_quiet_rounds"));
        assertEquals(List.of(1.0, 1.3), json.get("core_probe_scaling_x_per_round"));
        assertEquals(List.of(1.0, 1.0), json.get("memory_probe_scaling_x_per_round"));
    }

    @Test
    void oneThreadScalesByDefinition() {
        CoreProbe.Reading one = new CoreProbe(1).read();
        assertEquals(1.0, one.scaling(), 0.0);
        assertEquals(1.0, one.memoryScaling(), 0.0);
    }

    @Test
    void theMemoryScalingOfARoundIsItsLowestReading() {
        QuietRounds rounds = new QuietRounds(2, 1);
        rounds.add(0, new CoreProbe.Reading(100, 1.98, 1.4));
        rounds.add(0, new CoreProbe.Reading(100, 1.97, 1.02));
        assertEquals(1.02, rounds.memoryScaling(0), 1e-12);
        assertEquals(List.of(0), rounds.result().rounds(), "memory bounds what memory-bound work can gain; it does not make a round shared");
    }
}
