package dev.clpipe.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The schemas in docs/schemas/ refuse what issue 21 found in the outputs (figures in strings,
 * 0.0 for "no FLOPs", a device as a string, task sections at the top of metrics.json,
 * scenes_per_s, relative paths), so the tests that check real outputs against them can fail.
 */
class SchemasTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private static final String ROW = "{'op': 'gemm', 'shape': '8x8x8', 'variant': 'tiled', 'device': {'kind': 'opencl', 'name': 'cpu', 'address': '0:0'},"
            + " 'batch': null, 'ms_per_batch': 1.5, 'ms_per_image': null, 'images_per_s': null, 'gflops': %s, 'figures': {%s}}";

    @Test
    void benchRowsNeedNumbersWithUnitsAndADeviceObject() throws Exception {
        assertTrue(Schemas.problems("bench", json("[" + ROW.formatted("2.5", "'gb_per_s': 3.0") + "]")).isEmpty());
        assertTrue(Schemas.problems("bench", json("[" + ROW.formatted("null", "") + "]")).isEmpty());
        assertFalse(Schemas.problems("bench", json("[" + ROW.formatted("0.0", "") + "]")).isEmpty(), "no FLOPs is null, not 0.0");
        assertFalse(Schemas.problems("bench", json("[" + ROW.formatted("null", "'GB/s': 3.0") + "]")).isEmpty(), "figure keys are snake_case");
        assertFalse(Schemas.problems("bench", json("[" + ROW.formatted("null", "'speedup': '2x'") + "]")).isEmpty(), "figures are numbers");
        assertFalse(Schemas.problems("bench", json("[" + ROW.formatted("null", "").replace("{'kind': 'opencl', 'name': 'cpu', 'address': '0:0'}", "'0:0 cpu'")
                + "]")).isEmpty(), "device is an object");
        assertFalse(Schemas.problems("bench", json("{'results': [], 'scaling': {}}")).isEmpty(), "always an array");
        assertFalse(Schemas.problems("bench", json("[" + ROW.formatted("null", "").replace("'ms_per_batch'", "'ms'") + "]")).isEmpty(), "ms names its unit");
    }

    private static final String METRICS = "{'schema_version': 2, 'updated': '2026-12-06T21:00:00Z', 'parts': 1, 'stages': {'train': {'seconds': 2.0,"
            + " 'busy_seconds': 1.0, 'items': 10, 'items_per_s': 10.0, 'wait_fraction': 0.5, 'training': {'model': 'm', 'parameters': 5,"
            + " 'epochs_done': 1, 'steps': 2, 'seconds': 1.0, %s}}}%s}";

    @Test
    void metricsKeepEveryStageReportUnderItsStage() throws Exception {
        assertTrue(Schemas.problems("metrics", json(METRICS.formatted("'images_per_s': 10.0, 'checkpoint': '/runs/x/checkpoints/epoch-0001'", ""))).isEmpty());
        assertFalse(Schemas.problems("metrics", json(METRICS.formatted("'images_per_s': 10.0", ", 'test': {'accuracy': 0.9}"))).isEmpty(),
                "no task sections beside stages");
        assertFalse(Schemas.problems("metrics", json(METRICS.formatted("'images_per_s': 1.0, 'scenes_per_s': 10.0", ""))).isEmpty(), "images_per_s only");
        assertFalse(Schemas.problems("metrics", json(METRICS.formatted("'images_per_s': 1.0, 'checkpoint': 'checkpoints/epoch-0001'", ""))).isEmpty(),
                "paths are absolute");
    }

    @Test
    void runJsonRecordsAbsolutePathsAndAStatus() throws Exception {
        String run = "{'schema_version': 1, 'name': 'n', 'run_folder': '/runs/n-1', 'config': '%s', 'command': ['clpipe', 'run'], 'seed': 1,"
                + " 'device': 'cpu', 'versions': {'clpipe': 'dev', 'java': '17', 'os': 'Linux'}, 'pid': 7, 'status': '%s', 'started': '2026-12-06T21:00:00Z'}";
        assertTrue(Schemas.problems("run", json(run.formatted("/p/x.yaml", "ok"))).isEmpty());
        assertFalse(Schemas.problems("run", json(run.formatted("x.yaml", "ok"))).isEmpty(), "config path is absolute");
        assertFalse(Schemas.problems("run", json(run.formatted("/p/x.yaml", "done"))).isEmpty(), "status is one of four");
    }
}
