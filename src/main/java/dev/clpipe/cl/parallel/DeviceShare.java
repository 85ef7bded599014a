package dev.clpipe.cl.parallel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One device's part of a multi-device run: rows (or items) it did, seconds it was busy, and a
 * running estimate of its speed (exponential average of rows per busy second) for metrics.json.
 * A data-parallel split follows the rows per busy second over each check's window instead, from
 * the totals here, so that a few slow steps do not move it.
 */
public final class DeviceShare {
    private static final double SMOOTHING = 0.3;

    private final int index;
    private final String device;
    private long rows;
    private double busySeconds;
    private double speed;
    private String failure;

    public DeviceShare(int index, String device) {
        this.index = index;
        this.device = device;
    }

    public int index() {
        return index;
    }

    public String device() {
        return device;
    }

    /** Records {@code rows} done in {@code seconds} of this device's time. */
    public synchronized void record(long rows, double seconds) {
        this.rows += rows;
        this.busySeconds += seconds;
        if (seconds > 0 && rows > 0) {
            double measured = rows / seconds;
            speed = speed == 0 ? measured : (1 - SMOOTHING) * speed + SMOOTHING * measured;
        }
    }

    /** Rows per second so far; 0 before the first measurement. */
    public synchronized double speed() {
        return speed;
    }

    public synchronized long rows() {
        return rows;
    }

    public synchronized double busySeconds() {
        return busySeconds;
    }

    public synchronized void failed(String message) {
        failure = message;
    }

    public synchronized boolean alive() {
        return failure == null;
    }

    /** JSON for metrics.json: rows, share of all rows, busy seconds, share of the wall time, speed, failure. */
    public synchronized Map<String, Object> toJson(long totalRows, double wallSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("device", device);
        m.put("rows", rows);
        m.put("row_share", totalRows > 0 ? (double) rows / totalRows : 0);
        m.put("busy_seconds", busySeconds);
        m.put("busy_fraction", wallSeconds > 0 ? busySeconds / wallSeconds : 0);
        m.put("rows_per_s", speed);
        if (failure != null) m.put("failed", failure);
        return m;
    }
}
