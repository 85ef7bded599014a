package dev.clpipe.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Time and throughput of one stage: nanoseconds busy in the stage's own code, nanoseconds spent
 * waiting for input or for room downstream, and items handled (written by the stage's thread);
 * plus the nanoseconds its tasks ran on the shared worker pool (written by the workers).
 */
public final class StageStats {
    private final String id;
    private volatile long busyNanos;
    private volatile long waitNanos;
    private volatile long items;
    private final java.util.concurrent.atomic.LongAdder workerNanos = new java.util.concurrent.atomic.LongAdder();
    private volatile long poolWaitNanos;

    StageStats(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    void addBusy(long nanos, long handled) {
        busyNanos += nanos;
        items += handled;
    }

    /** Items a job stage handled (images trained on or scored); its time is recorded by the runner. */
    void addItems(long handled) {
        items += handled;
    }

    /** Adds what an earlier part of the run (before a resume) measured, so the totals cover the whole run. */
    void addEarlierPart(double seconds, double busySeconds, double workerSeconds, long handled) {
        busyNanos += Math.round(busySeconds * 1e9);
        workerNanos.add(Math.round(workerSeconds * 1e9));
        waitNanos += Math.max(0, Math.round((seconds - busySeconds) * 1e9));
        items += handled;
    }

    /** Time one of this stage's tasks ran on the worker pool (any thread may call it). */
    void addWorker(long nanos) {
        workerNanos.add(nanos);
    }

    /** Time the stage's thread, while busy, waited for its tasks on the worker pool (its thread only). */
    void addPoolWait(long nanos) {
        poolWaitNanos += nanos;
    }

    /** Seconds this stage's tasks ran on the shared worker pool, summed over the workers. */
    public double workerSeconds() {
        return workerNanos.sum() / 1e9;
    }

    /**
     * Seconds of work this stage needs with the worker pool to itself: its own thread's busy time
     * (a device stage's launches and waits, a source's reads) less the time that thread waited for
     * its tasks on the shared pool, plus those tasks' time spread over the {@code workers}. The
     * thread's wait would count the pool's work for other stages too (decode's tasks queue behind
     * write's encoding), so it says nothing about this stage's own cost. Writes to disk run on
     * their own threads and count as waiting.
     */
    public double demandSeconds(int workers) {
        long own = Math.max(0, busyNanos - poolWaitNanos);
        return (own + workerNanos.sum() / (double) Math.max(1, workers)) / 1e9;
    }

    void addWait(long nanos) {
        waitNanos += nanos;
    }

    public long items() {
        return items;
    }

    public double busySeconds() {
        return busyNanos / 1e9;
    }

    /** Share of this stage's wall time spent waiting on its neighbours (0 = never waited). */
    public double waitFraction() {
        long total = busyNanos + waitNanos;
        return total == 0 ? 0 : waitNanos / (double) total;
    }

    /** The DESIGN.md metrics.json fields for this stage. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        double seconds = (busyNanos + waitNanos) / 1e9;
        json.put("seconds", round(seconds));
        json.put("busy_seconds", round(busySeconds()));
        if (workerNanos.sum() > 0) json.put("worker_seconds", round(workerSeconds()));
        json.put("items", items);
        json.put("items_per_s", busyNanos == 0 ? 0 : round(items / busySeconds()));
        json.put("wait_fraction", round(waitFraction()));
        return json;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
