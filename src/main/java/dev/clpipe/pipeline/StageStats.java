package dev.clpipe.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Time and throughput of one stage: nanoseconds busy in the stage's own code, nanoseconds spent
 * waiting for input or for room downstream, and items handled. Written by the stage's thread.
 */
public final class StageStats {
    private final String id;
    private volatile long busyNanos;
    private volatile long waitNanos;
    private volatile long items;

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
    void addEarlierPart(double seconds, double busySeconds, long handled) {
        busyNanos += Math.round(busySeconds * 1e9);
        waitNanos += Math.max(0, Math.round((seconds - busySeconds) * 1e9));
        items += handled;
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
        json.put("items", items);
        json.put("items_per_s", busyNanos == 0 ? 0 : round(items / busySeconds()));
        json.put("wait_fraction", round(waitFraction()));
        return json;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
