package dev.clpipe.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.bench.AugmentBench;
import dev.clpipe.testing.TestDevices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The bench suite runs end to end and prints parseable JSON (slow: excluded by default). */
@Tag("slow")
class AugmentBenchSmokeTest {
    @Test
    void quickRunPrintsOneJsonRowPerCase() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<AugmentBench.Row> rows = AugmentBench.run(TestDevices.context(), true, new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8));
        assertEquals(rows.size(), json.size());
        for (var row : json) assertTrue(row.get("images_per_s").asDouble() > 0, row.toString());
    }
}
