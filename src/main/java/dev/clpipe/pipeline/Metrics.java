package dev.clpipe.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run measured, written to metrics.json (schema: docs/schemas/metrics.schema.json):
 * {@code stages.<id>} holds each stage's timing (seconds, busy_seconds, items, items_per_s,
 * wait_fraction) and every section the stage reports ({@code "test": {"accuracy": ...}});
 * run-level sections ({@code parts}, {@code kernels}, {@code updated}) sit beside {@code stages}.
 * A report is filed under the stage the runner runs on the reporting thread, so two stages
 * never overwrite each other's sections.
 */
public final class Metrics {
    /** Bumped when a key changes meaning; readers check it. */
    public static final int SCHEMA_VERSION = 2;
    private static final Set<String> TIMING_KEYS = Set.of("seconds", "busy_seconds", "items", "items_per_s", "wait_fraction");
    private static final ThreadLocal<String> REPORTING_STAGE = new ThreadLocal<>();
    private static final long EAGER_WRITE_NS = 500_000_000L;

    private final List<StageStats> stages = new ArrayList<>();
    private final Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
    private Map<String, Map<String, KernelTime>> kernels = Map.of();
    private int parts = 1;
    private Path file;
    private long lastWrite;
    private final int workers;

    /** @param workers threads of the shared worker pool, to weigh the stages that use it */
    public Metrics(int workers) {
        this.workers = workers;
    }

    /** Launches and device milliseconds of one kernel on one device (profiling events). */
    public record KernelTime(long launches, double ms) {}

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

    /** Runs {@code work} with reports on this thread filed under stage {@code id} (the runners call this). */
    public static <T> T reportingAs(String id, java.util.concurrent.Callable<T> work) throws Exception {
        String before = REPORTING_STAGE.get();
        REPORTING_STAGE.set(id);
        try {
            return work.call();
        } finally {
            REPORTING_STAGE.set(before);
        }
    }

    /** The stage the runner runs on this thread, or null outside stages. */
    static String reportingStage() {
        return REPORTING_STAGE.get();
    }

    /**
     * Records a section of the reporting stage, e.g. {@code put("test", Map.of("accuracy", 0.99))}
     * lands in {@code stages.<id>.test}; metrics.json is rewritten soon after (an epoch's report
     * is on disk before the next epoch ends).
     */
    public void put(String section, Object value) {
        String id = REPORTING_STAGE.get();
        if (id == null) throw new IllegalStateException("a metrics section '" + section + "' was reported outside a stage");
        put(id, section, value);
    }

    /** Records section {@code section} of stage {@code stageId}. */
    public void put(String stageId, String section, Object value) {
        if (TIMING_KEYS.contains(section)) throw new IllegalArgumentException("'" + section + "' is a stage timing key, not a section");
        synchronized (this) {
            stage(stageId);
            sections.computeIfAbsent(stageId, k -> new LinkedHashMap<>()).put(section, value);
        }
        writeSoon();
    }

    /** A section the reporting stage recorded, or null. */
    public synchronized Object get(String section) {
        Map<String, Object> own = sections.get(REPORTING_STAGE.get());
        return own == null ? null : own.get(section);
    }

    /** A copy of the sections stage {@code stageId} recorded so far. */
    public synchronized Map<String, Object> sections(String stageId) {
        Map<String, Object> own = sections.get(stageId);
        return own == null ? Map.of() : new LinkedHashMap<>(own);
    }

    /** Per device and kernel: launches and device time, when kernels were profiled. */
    public synchronized void kernels(Map<String, Map<String, KernelTime>> perDevice) {
        kernels = perDevice;
    }

    public synchronized Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schema_version", SCHEMA_VERSION);
        json.put("updated", java.time.Instant.now().toString());
        json.put("parts", parts);
        Map<String, Object> perStage = new LinkedHashMap<>();
        for (StageStats s : stages) {
            Map<String, Object> entry = s.toJson();
            entry.put("work_seconds", StageStats.round(s.demandSeconds(workers))); // what the bottleneck is chosen by
            entry.putAll(sections.getOrDefault(s.id(), Map.of()));
            perStage.put(s.id(), entry);
        }
        json.put("stages", perStage);
        if (!kernels.isEmpty()) json.put("kernels", kernels);
        return json;
    }

    public void write(Path file) throws IOException {
        Map<String, Object> json;
        synchronized (this) {
            json = toJson();
            lastWrite = System.nanoTime();
        }
        JsonFiles.write(file, json);
    }

    /** Where {@link #put} writes its updates (the run folder's metrics.json). */
    synchronized void writeTo(Path target) {
        this.file = target;
    }

    /** Writes now unless a write happened moments ago (the periodic snapshot then catches up). */
    private void writeSoon() {
        Path target;
        synchronized (this) {
            if (file == null || System.nanoTime() - lastWrite < EAGER_WRITE_NS) return;
            target = file;
        }
        try {
            write(target);
        } catch (IOException | RuntimeException e) {
            // the periodic and the closing write report problems
        }
    }

    /**
     * Starts from the stage totals an earlier part of this run left in {@code metricsJson} (a
     * resume), so metrics.json covers the whole run; {@code parts} counts the run's parts. An
     * earlier part killed outright leaves the totals of its last periodic snapshot.
     */
    public synchronized void continueFrom(Path metricsJson) throws IOException {
        int earlierParts = 1;
        if (java.nio.file.Files.isRegularFile(metricsJson)) {
            com.fasterxml.jackson.databind.JsonNode earlier = JsonFiles.JSON.readTree(metricsJson.toFile());
            earlier.path("stages").fields().forEachRemaining(e -> stage(e.getKey()).addEarlierPart(
                    e.getValue().path("seconds").asDouble(), e.getValue().path("busy_seconds").asDouble(), e.getValue().path("worker_seconds").asDouble(),
                    e.getValue().path("items").asLong()));
            earlierParts = earlier.path("parts").asInt(1);
        }
        parts = earlierParts + 1;
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
