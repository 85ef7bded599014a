package dev.clpipe.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run measured, written to metrics.json: {@code stages} (per-stage seconds, items,
 * items/s, wait fraction) plus whatever tasks report ({@code "test": {"accuracy": ...}}).
 */
public final class Metrics {
    private final List<StageStats> stages = new ArrayList<>();
    private final Map<String, Object> task = new LinkedHashMap<>();
    private final int workers;

    /** @param workers threads of the shared worker pool, to weigh the stages that use it */
    public Metrics(int workers) {
        this.workers = workers;
    }

    synchronized StageStats stage(String id) {
        for (StageStats s : stages) if (s.id().equals(id)) return s;
        StageStats stats = new StageStats(id);
        stages.add(stats);
        return stats;
    }

    /**
     * Counts {@code items} handled by job stage {@code stageId} (a job owns its loop, so only it
     * knows how many images it trained on or scored); the runner records the job's time.
     */
    public synchronized void countItems(String stageId, long items) {
        stage(stageId).addItems(items);
    }

    public synchronized List<StageStats> stages() {
        return List.copyOf(stages);
    }

    /** Records a task metric under a top-level key, e.g. {@code put("test", Map.of("accuracy", 0.99))}. */
    public synchronized void put(String key, Object value) {
        if (key.equals("stages")) throw new IllegalArgumentException("'stages' is reserved for stage timings");
        task.put(key, value);
    }

    public synchronized Object get(String key) {
        return task.get(key);
    }

    public synchronized Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> perStage = new LinkedHashMap<>();
        for (StageStats s : stages) {
            Map<String, Object> stage = s.toJson();
            stage.put("work_seconds", StageStats.round(s.demandSeconds(workers))); // what the bottleneck is chosen by
            perStage.put(s.id(), stage);
        }
        json.put("stages", perStage);
        json.putAll(task);
        return json;
    }

    public void write(Path file) throws IOException {
        JsonFiles.write(file, toJson());
    }

    /**
     * Starts from the stage totals an earlier part of this run left in {@code metricsJson} (a
     * resume), so metrics.json covers the whole run; {@code parts} counts the run's parts. An
     * earlier part killed outright leaves the totals of its last periodic snapshot.
     */
    public synchronized void continueFrom(Path metricsJson) throws IOException {
        int parts = 1;
        if (java.nio.file.Files.isRegularFile(metricsJson)) {
            com.fasterxml.jackson.databind.JsonNode earlier = JsonFiles.JSON.readTree(metricsJson.toFile());
            earlier.path("stages").fields().forEachRemaining(e -> stage(e.getKey()).addEarlierPart(
                    e.getValue().path("seconds").asDouble(), e.getValue().path("busy_seconds").asDouble(), e.getValue().path("worker_seconds").asDouble(),
                    e.getValue().path("items").asLong()));
            parts = earlier.path("parts").asInt(1);
        }
        task.put("parts", parts + 1);
    }

    /** Writes metrics.json every {@code millis} until closed, so even a killed run leaves recent totals. */
    AutoCloseable writeEvery(Path file, long millis) {
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "clpipe-metrics");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                write(file);
            } catch (IOException | RuntimeException e) {
                // the closing write reports problems; a missed snapshot only makes the next one count
            }
        }, millis, millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> {
            timer.shutdown();
            timer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        };
    }

    /**
     * The stage with the most work ({@link StageStats#demandSeconds}): the one to speed up. Host
     * stages that share the worker pool (decode, write) are weighed by their workers' time, not by
     * their threads' wall time, which counts the other stages' tasks too; so a device stage behind
     * them is named when it is the slower one.
     */
    public synchronized StageStats bottleneck() {
        StageStats best = null;
        for (StageStats s : stages) if (best == null || s.demandSeconds(workers) > best.demandSeconds(workers)) best = s;
        return best;
    }

    /** Threads of the shared worker pool. */
    public int workers() {
        return workers;
    }
}
