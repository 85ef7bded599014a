package dev.clpipe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stage's cumulative counts (face-embed's {@code faces} section) become per-batch increases on
 * an executor and are summed again on the driver: the sum of two executors' batches equals the
 * counts one machine reports; sections that are not flat numbers are left out.
 */
class SectionDeltasTest {
    @Test
    void increasesOfTwoExecutorsSumToTheTotals() {
        Map<String, Object> before = Map.of("faces", Map.of("images", 2L, "faces", 5L, "ratio", 0.5), "devices", List.of("0:0"));
        Map<String, Object> after = Map.of("faces", Map.of("images", 5L, "faces", 9L, "ratio", 1.25), "devices", List.of("0:0", "0:1"));
        Map<String, Map<String, Number>> added = SectionDeltas.added(before, after);
        assertEquals(Map.of("faces", Map.of("images", 3L, "faces", 4L, "ratio", 0.75)), added);
        assertEquals(Map.of(), SectionDeltas.added(after, after), "an unchanged section adds nothing");

        Map<String, Number> sum = new LinkedHashMap<>(Map.of("images", 0L, "faces", 0L));
        SectionDeltas.sum(sum, SectionDeltas.added(Map.of(), Map.of("faces", Map.of("images", 2L, "faces", 5L))).get("faces"));
        SectionDeltas.sum(sum, added.get("faces"));
        assertEquals(5L, sum.get("images"));
        assertEquals(9L, sum.get("faces"));
        assertEquals(0.75, sum.get("ratio").doubleValue(), 1e-12);
    }
}
