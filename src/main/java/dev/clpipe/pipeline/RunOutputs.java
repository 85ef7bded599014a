package dev.clpipe.pipeline;

import java.io.IOException;

/**
 * Files a stage makes at the end of a run from the run folder's finished per-run files (COCO/YOLO
 * labels from detections.jsonl, predictions.csv from predictions.jsonl). On one machine the stage
 * makes them when it closes ({@link StageContext#atRunEnd}); under Spark the driver makes them once
 * the per-run files are merged from every executor, and executors (which hold only a part of the
 * run) skip them.
 */
@FunctionalInterface
public interface RunOutputs {
    RunOutputs NONE = folder -> {};

    void write(RunFolder folder) throws IOException;
}
