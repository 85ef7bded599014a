package dev.clpipe.pipeline;

import static dev.clpipe.pipeline.PipelineRuns.plan;
import static dev.clpipe.pipeline.PipelineRuns.run;
import static dev.clpipe.pipeline.PipelineRuns.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.pipeline.stages.BuiltinStages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How batches flow between stages: a slow stage holds the source back, Ctrl-C drops the read-ahead. */
class PipelineFlowTest {
    @TempDir
    Path temp;

    @Test
    void ctrlCDropsTheQueuedReadAheadInsteadOfProcessingIt() throws Exception {
        Path file = yaml(temp, """
                out: runs
                batch: 1
                queue: 8
                stages:
                  - {id: count, type: counting-source, items: 1000}
                  - {id: stop, type: stop-after, batches: 20}
                  - {id: slow, type: slow-sink, delay_ms: 50}
                """);
        TestStages.CountingSource source = new TestStages.CountingSource();
        StageRegistry registry = BuiltinStages.registry().register(source).register(new TestStages.StopAfter())
                .register(new TestStages.SlowSink(source));
        PipelineRun.Result result = run(plan(file, registry), Optional.empty());
        assertEquals(PipelineRun.Status.INTERRUPTED, result.status());
        // The stop came with batch 20, queued behind up to 8 others at the slow sink: those are dropped (left for
        // --resume), so the sink handled fewer than 20; finishing the read-ahead first would handle 20 and more.
        assertTrue(source.consumed.get() < 20, "processed: " + source.consumed.get());
        assertEquals(source.consumed.get(), Files.readAllLines(result.folder().file("completed.txt")).size());
    }

    @Test
    void aSlowStageHoldsTheSourceBackInsteadOfFillingMemory() throws Exception {
        Path file = yaml(temp, """
                out: runs
                batch: 10
                queue: 2
                stages:
                  - {id: count, type: counting-source, items: 2000}
                  - {id: slow, type: slow-sink}
                """);
        TestStages.CountingSource source = new TestStages.CountingSource();
        StageRegistry registry = BuiltinStages.registry().register(source).register(new TestStages.SlowSink(source));
        PipelineRun.Result result = run(plan(file, registry), Optional.empty());
        assertEquals(PipelineRun.Status.OK, result.status());
        // In flight at most: queue (2 batches) + one batch in the sink + one being filled by the source.
        assertTrue(source.maxAhead() <= 4 * 10, "source ran " + source.maxAhead() + " items ahead of the sink");
        assertTrue(result.metrics().stages().get(0).waitFraction() > 0.5, "the source should mostly wait");
    }
}
