package dev.clpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which stage the run summary and metrics.json name as the bottleneck: host stages that share the
 * worker pool are weighed by their workers' time, so their threads' waits on that pool (which
 * count the other stages' tasks too) no longer hide a slower device stage.
 */
class BottleneckTest {
    private static final long S = 1_000_000_000L;

    /** The shape augment-folder has on 2 workers: decode and write threads wait on a pool both fill. */
    @Test
    void aDeviceStageSlowerThanItsHostNeighboursIsNamedThoughTheirThreadsWereBusierLonger() {
        Metrics metrics = new Metrics(2);
        StageStats read = stage(metrics, "read", 0.1, 0, 0);
        StageStats decode = stage(metrics, "decode", 10.0, 9.5, 8.0); // 0.5 s own + 8 s / 2 workers = 4.5 s
        StageStats augment = stage(metrics, "augment", 7.0, 1.0, 1.0); // 6 s launches and waits + 0.5 s = 6.5 s
        StageStats write = stage(metrics, "write", 11.0, 10.8, 9.0); // 0.2 s + 4.5 s = 4.7 s
        assertEquals(0.1, read.demandSeconds(2), 1e-9);
        assertEquals(4.5, decode.demandSeconds(2), 1e-9);
        assertEquals(6.5, augment.demandSeconds(2), 1e-9);
        assertEquals(4.7, write.demandSeconds(2), 1e-9);
        assertEquals("augment", metrics.bottleneck().id()); // by the threads' busy time it was write (11 s)
    }

    @Test
    void theHostStageWithTheMostWorkerTimeIsNamedWhenItOutweighsTheDevice() {
        Metrics metrics = new Metrics(2);
        stage(metrics, "decode", 10.0, 9.9, 19.0); // 0.1 + 9.5 = 9.6 s
        stage(metrics, "augment", 7.0, 1.0, 1.0); // 6.5 s
        stage(metrics, "write", 11.0, 10.8, 9.0); // 4.7 s
        assertEquals("decode", metrics.bottleneck().id());
    }

    @Test
    void withoutADeviceStageTheHeavierOfDecodeAndWriteIsNamed() {
        Metrics metrics = new Metrics(2);
        stage(metrics, "read", 0.05, 0, 0);
        stage(metrics, "decode", 12.8, 12.5, 6.0); // 3.3 s
        stage(metrics, "write", 13.9, 13.6, 9.0); // 4.8 s
        assertEquals("write", metrics.bottleneck().id());
        assertEquals(1, new Metrics(1).workers());
    }

    @Test
    void moreWorkersShrinkAPoolStagesWorkButNotADeviceStages() {
        Metrics one = new Metrics(1);
        stage(one, "decode", 8.0, 7.9, 7.0); // 7.1 s on 1 worker
        stage(one, "augment", 5.0, 0, 0); // 5 s
        assertEquals("decode", one.bottleneck().id());
        Metrics four = new Metrics(4);
        stage(four, "decode", 8.0, 7.9, 7.0); // 1.85 s on 4 workers
        stage(four, "augment", 5.0, 0, 0);
        assertEquals("augment", four.bottleneck().id());
    }

    @Test
    @SuppressWarnings("unchecked")
    void metricsJsonCarriesWorkerAndWorkSeconds() {
        Metrics metrics = new Metrics(2);
        stage(metrics, "decode", 10.0, 9.5, 8.0);
        stage(metrics, "augment", 7.0, 0, 0);
        Map<String, Object> stages = (Map<String, Object>) metrics.toJson().get("stages");
        Map<String, Object> decode = (Map<String, Object>) stages.get("decode");
        assertEquals(8.0, decode.get("worker_seconds"));
        assertEquals(4.5, decode.get("work_seconds"));
        Map<String, Object> augment = (Map<String, Object>) stages.get("augment");
        assertEquals(false, augment.containsKey("worker_seconds"));
        assertEquals(7.0, augment.get("work_seconds"));
    }

    private static StageStats stage(Metrics metrics, String id, double busy, double poolWait, double worker) {
        StageStats stats = metrics.stage(id);
        stats.addBusy(Math.round(busy * S), 10);
        stats.addPoolWait(Math.round(poolWait * S));
        stats.addWorker(Math.round(worker * S));
        return stats;
    }
}
