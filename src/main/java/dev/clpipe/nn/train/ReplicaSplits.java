package dev.clpipe.nn.train;

import dev.clpipe.cl.parallel.DeviceShare;
import dev.clpipe.cl.parallel.ProportionalSplit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * How a {@link ReplicatedTrainer}'s batch is split over its replicas: evenly at the start, then
 * in proportion to each device's measured speed (rows per busy second), and the history of every
 * split for metrics.json.
 */
final class ReplicaSplits {
    private static final Logger LOG = LogManager.getLogger(ReplicaSplits.class);

    /** Split granularity: the batch is split in steps of batch / this many rows. */
    static final int STEPS_OF_BATCH = 16;
    /** The least fraction of a step's time a re-split must save. */
    static final double MIN_GAIN = 0.08;
    /**
     * The least busy time of every device in a window before its speeds count: the host thread's
     * bursts of enqueueing (a few ms on one core, see {@link DeviceReducedSteps#AHEAD}) land on
     * either device, and over ten steps at batch 128 (50 ms) two of them made equal devices look
     * 20% apart, so two checks in a row agreed and the split went 64/64 -> 56/72 -> 64/64 -> ...,
     * seven drains and rebuilds in 720 steps.
     */
    static final double MIN_WINDOW_SECONDS = 0.3;

    private final int batch;
    private final List<Map<String, Object>> history = new ArrayList<>();
    /** The split the last check proposed and did not apply yet (null: none). */
    private int[] proposed;
    /** Each device's rows and busy seconds at the last check. */
    private final Map<DeviceShare, double[]> lastCheck = new java.util.IdentityHashMap<>();

    ReplicaSplits(int batch) {
        this.batch = batch;
    }

    /** Rows per device of an even split (the remainder to the first devices). */
    static int[] even(int batch, int devices) {
        double[] same = new double[devices];
        Arrays.fill(same, 1);
        return ProportionalSplit.of(batch, same);
    }

    /**
     * Re-splits by measured speed when {@link #next} says so; returns whether it re-split.
     */
    boolean rebalance(List<Replica> replicas, String reason, int epoch, long step) {
        int[] next = next(replicas);
        if (next == null) return false;
        apply(replicas, next, reason, epoch, step);
        return true;
    }

    /**
     * The split to move to by measured speed ({@link #worthMoving}), at once when the rows no
     * longer sum to the batch (a device was dropped); null to stay. A re-split rebuilds every
     * replica's network and its first steps pay new buffers and scratch growth, so jitter in the
     * measured speeds must not move the split back and forth.
     */
    int[] next(List<Replica> replicas) {
        double[] speeds = windowSpeeds(replicas.stream().map(Replica::share).toList());
        int[] current = rows(replicas);
        boolean whole = Arrays.stream(current).sum() == batch;
        if (whole && speeds == null) return null; // the window is still too short to tell
        if (speeds == null) speeds = new double[current.length];
        for (double s : speeds) if (s <= 0) Arrays.fill(speeds, 1); // not all measured yet: even split
        if (whole) return worthMoving(current, speeds);
        proposed = null;
        return quantised(batch, speeds);
    }

    /**
     * Each device's rows per busy second over the window since the last window closed (0 where
     * nothing new was measured), the average over every step of the window: one noisy step (the
     * host thread took that device's core for its enqueue) weighs one step, where a speed smoothed
     * over the last few steps swung equal devices 15% apart and back, each swing a drain and a
     * rebuild. Null while a device that worked in the window has been busy for less than
     * {@link #MIN_WINDOW_SECONDS}: the window then stays open and grows.
     */
    double[] windowSpeeds(List<DeviceShare> shares) {
        double[] speeds = new double[shares.size()];
        for (int i = 0; i < speeds.length; i++) {
            double[] before = lastCheck.getOrDefault(shares.get(i), new double[2]);
            double seconds = shares.get(i).busySeconds() - before[1];
            if (seconds > 0 && seconds < MIN_WINDOW_SECONDS) return null;
        }
        for (int i = 0; i < speeds.length; i++) {
            DeviceShare share = shares.get(i);
            double[] before = lastCheck.getOrDefault(share, new double[2]);
            double rows = share.rows() - before[0], seconds = share.busySeconds() - before[1];
            speeds[i] = rows > 0 && seconds > 0 ? rows / seconds : 0;
            lastCheck.put(share, new double[] {share.rows(), share.busySeconds()});
        }
        return speeds;
    }

    /** Rebuilds every replica for its rows of {@code next} (the devices must be idle) and records the split. */
    void apply(List<Replica> replicas, int[] next, String reason, int epoch, long step) {
        long t0 = System.nanoTime();
        for (int i = 0; i < replicas.size(); i++) replicas.get(i).resize(next[i], epoch, step);
        double rebuildMs = (System.nanoTime() - t0) / 1e6;
        record(replicas, reason, step).put("rebuild_ms", rebuildMs);
        LOG.info("step {}: batch split {} over {} ({}, rebuilt in {} ms)", step, Arrays.toString(next), replicas.stream().map(r -> r.share().index()).toList(),
                reason, Math.round(rebuildMs));
    }

    /**
     * The split to move to, or null to stay. A move must shorten the predicted step by at least
     * {@link #MIN_GAIN}, and two checks in a row must propose the same split: speeds measured over
     * a few steps jitter (another thread takes a core for a moment), and a single noisy look used
     * to swing two equal devices between 112/144 and 144/112 rows, each swing a rebuild.
     */
    int[] worthMoving(int[] current, double[] speeds) {
        int[] next = quantised(batch, speeds);
        boolean gains = ProportionalSplit.differs(current, next, 1) && stepTime(next, speeds) <= (1 - MIN_GAIN) * stepTime(current, speeds);
        if (!gains) {
            proposed = null;
            return null;
        }
        if (Arrays.equals(next, proposed)) {
            proposed = null;
            return next;
        }
        proposed = next; // seen once: move if the next check agrees
        return null;
    }

    /**
     * The split by speed in whole multiples of 1/{@link #STEPS_OF_BATCH} of the batch (the rest to
     * the first device): every new row count makes PoCL compile work-group functions of the kernels
     * whose local size follows the rows (seconds of LLVM on the device's thread), so a split that
     * follows jitter row by row recompiles again and again.
     */
    static int[] quantised(int batch, double[] speeds) {
        int quantum = Math.max(1, batch / STEPS_OF_BATCH);
        if (batch / quantum < speeds.length) quantum = 1;
        int[] rows = ProportionalSplit.of(batch / quantum, speeds);
        int given = 0;
        for (int i = 0; i < rows.length; i++) {
            rows[i] *= quantum;
            given += rows[i];
        }
        rows[0] += batch - given;
        return rows;
    }

    /** A step's predicted time: the slowest device's rows over its speed. */
    static double stepTime(int[] rows, double[] speeds) {
        double t = 0;
        for (int i = 0; i < rows.length; i++) t = Math.max(t, rows[i] / speeds[i]);
        return t;
    }

    /** Adds a split to the history and returns its entry. */
    Map<String, Object> record(List<Replica> replicas, String reason, long step) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("reason", reason);
        Map<String, Integer> rows = new LinkedHashMap<>();
        for (Replica r : replicas) rows.put(String.valueOf(r.share().index()), r.rows());
        m.put("rows", rows);
        history.add(m);
        return m;
    }

    static int[] rows(List<Replica> replicas) {
        return replicas.stream().mapToInt(Replica::rows).toArray();
    }

    List<Map<String, Object>> history() {
        return List.copyOf(history);
    }
}
