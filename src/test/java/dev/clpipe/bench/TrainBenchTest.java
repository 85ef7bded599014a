package dev.clpipe.bench;

import dev.clpipe.testing.Schemas;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.nn.Models;
import dev.clpipe.nn.OptimizerSpec;
import dev.clpipe.testing.TestDevices;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench train --quick} runs and reports training and inference rates; LeNet-5's FLOP count. */
class TrainBenchTest {
    @Test
    void quickRunReportsTrainingAndInference() {
        List<BenchResult> results = new ArrayList<>();
        new TrainBench(List.of(new TrainBench.Workload(Models.lenet5(), 256, OptimizerSpec.adam(1e-3, 0), 40)))
                .run(TestDevices.context(), true, results::add, null);
        assertEquals(2, results.size());
        Schemas.assertValid("bench", new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(results));
        assertEquals("lenet5 train step", results.get(0).op());
        assertEquals("lenet5 inference", results.get(1).op());
        for (BenchResult r : results) {
            assertTrue(r.msPerBatch() > 0 && r.gflops() > 0 && r.batch() == 256, r.toString());
            assertEquals(1000.0 * 256 / r.msPerBatch(), r.imagesPerS(), 0.01 * r.imagesPerS(), "images/s and ms/batch agree");
        }
    }

    @Test
    void lenetForwardIsAbout833KiloFlops() {
        // 2 x (28*28*6*25 + 10*10*16*150 + 400*120 + 120*84 + 84*10) multiply-adds
        assertEquals(2.0 * 416_520, TrainBench.forwardFlops(Models.lenet5()), 1e-6);
    }
}
