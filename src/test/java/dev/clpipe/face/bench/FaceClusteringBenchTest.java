package dev.clpipe.face.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A small benchmark run: every method yields scores, and the claim holds. */
class FaceClusteringBenchTest {
    @Test
    void onAnEventAdaptiveChineseWhispersBeatsFixedPointSix() {
        List<FaceClusteringBench.Row> rows = FaceClusteringBench.run("event", SyntheticFaces.Spec.event(), 2000, 5, null);
        assertEquals(11, rows.size());
        double fixed = f(rows, "chinese whispers, fixed");
        double adaptive = f(rows, "chinese whispers, adaptive");
        assertTrue(adaptive > fixed + 0.1, "adaptive " + adaptive + " vs fixed " + fixed);
    }

    private static double f(List<FaceClusteringBench.Row> rows, String method) {
        return rows.stream().filter(r -> r.method().equals(method)).findFirst().orElseThrow().scores().bcubed().f1();
    }
}
