package dev.clpipe.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a data-parallel step's time goes, summed over the kept steps: the slowest replica's
 * forward and backward, how long the fastest waited for it, the all-reduce (every replica
 * reducing its buckets, until the last is done), the optimiser update, and the rest of the wall
 * time of the step, which is the hand-over between the host threads.
 */
final class DataParallelTimings {
    private long steps;
    private double wall;
    private double slowestCompute;
    private double waitForSlowest;
    private double allReduce;
    private double update;

    /** {@code compute[r]}, {@code reduce[r]}, {@code update[r]}: seconds of each replica in this step. */
    void record(double stepSeconds, double[] compute, double[] reduce, double[] updates) {
        steps++;
        wall += stepSeconds;
        double slow = max(compute), fast = min(compute);
        slowestCompute += slow;
        waitForSlowest += slow - fast;
        allReduce += max(reduce);
        update += max(updates);
    }

    /** Milliseconds per step for metrics.json and the bench report. */
    Map<String, Object> toJson(long gradientFloats, int buckets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", steps);
        m.put("gradient_floats", gradientFloats);
        m.put("buckets", buckets);
        m.put("step_ms", perStep(wall));
        m.put("slowest_compute_ms", perStep(slowestCompute));
        m.put("wait_for_slowest_ms", perStep(waitForSlowest));
        m.put("allreduce_ms", perStep(allReduce));
        m.put("update_ms", perStep(update));
        m.put("handoff_ms", perStep(Math.max(0, wall - slowestCompute - allReduce - update)));
        return m;
    }

    private double perStep(double seconds) {
        return steps > 0 ? 1000 * seconds / steps : 0;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, x);
        return m;
    }

    private static double min(double[] v) {
        double m = Double.MAX_VALUE;
        for (double x : v) m = Math.min(m, x);
        return v.length == 0 ? 0 : m;
    }
}
