package dev.clpipe.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The result of a run: how it ended, its run folder (absolute), the files it wrote there other
 * than the bookkeeping files (config.yaml, run.json, metrics.json, log.txt, skipped.csv,
 * completed.txt), per-stage figures, how many inputs were refused (rows of skipped.csv), and
 * metrics.json as JSON values (maps, lists, strings, numbers, booleans): each stage's own sections
 * (accuracy, losses, detection scores...) under {@code stages.<id>}, as docs/schemas/metrics.schema.json says.
 */
public record RunResult(RunStatus status, Path runFolder, List<Path> outputs, List<StageMetrics> stages, long skipped,
        Map<String, Object> metrics) {

    public RunResult {
        outputs = List.copyOf(outputs);
        stages = List.copyOf(stages);
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }

    /** The figures of the stage with that id. */
    public StageMetrics stage(String id) {
        return stages.stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage " + id + " in " + stages.stream().map(StageMetrics::id).toList()));
    }
}
