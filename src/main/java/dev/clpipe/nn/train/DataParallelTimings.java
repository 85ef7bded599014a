package dev.clpipe.nn.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a data-parallel step's time goes, per applied step: the host thread's enqueue of every
 * slice, its sleep until every device is done, the all-reduce, the enqueue of the updates, and per
 * device the time it spent on its slice (marker to marker on the device clock) and the rest of the
 * step, when it ran its update or had nothing to do (waiting for the slowest device or the host).
 */
final class DataParallelTimings {
    private long steps;
    private double wall;
    private long runs;
    private long gatedStretches;
    private long hostSteps;
    private double enqueue;
    private double hostWait;
    private double allReduce;
    private double update;
    private String reduceOn = "host";
    private double hostCpu;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    /** Per device index: {steps, slice seconds}. */
    private final Map<Integer, double[]> devices = new TreeMap<>();

    void recordHost(double enqueueSeconds, double waitSeconds, double reduceSeconds, double updateSeconds) {
        hostSteps++;
        enqueue += enqueueSeconds;
        hostWait += waitSeconds;
        allReduce += reduceSeconds;
        update += updateSeconds;
    }

    /** Device all-reduce form: the host slept once per run of steps, not per step. */
    void addHostWait(double seconds) {
        hostWait += seconds;
    }

    /** The host enqueued a stretch of steps behind a gate, the devices idle (CPU devices). */
    void addGatedStretch() {
        gatedStretches++;
    }

    /** Where the last run summed the gradients: "device" or "host". */
    void reducedOn(String where) {
        reduceOn = where;
    }

    void recordDevice(int device, double sliceSeconds) {
        double[] d = devices.computeIfAbsent(device, k -> new double[2]);
        d[0]++;
        d[1] += sliceSeconds;
    }

    /** One run of steps ended, the devices drained: its wall time and the steps it applied. */
    void addWall(double seconds, int stepsApplied) {
        wall += seconds;
        steps += stepsApplied;
        runs++;
    }

    /** CPU time of the calling (host) thread, in nanoseconds: read before and after a run for {@link #addHostCpu}. */
    static long hostCpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    /** CPU seconds the host thread spent in a run (enqueueing, summing, waking): what it takes from the devices' cores. */
    void addHostCpu(double seconds) {
        hostCpu += seconds;
    }

    /** Seconds the host thread slept waiting for the devices. */
    double hostWaitSeconds() {
        return hostWait;
    }

    /** Milliseconds per step for metrics.json and the bench report. */
    Map<String, Object> toJson(long gradientFloats, int buckets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", steps);
        m.put("runs", runs); // each ends with every device drained
        m.put("gated_stretches", gatedStretches); // each also begins with every device drained
        m.put("gradient_floats", gradientFloats);
        m.put("buckets", buckets);
        m.put("allreduce_on", reduceOn);
        double step = steps > 0 ? 1000 * wall / steps : 0;
        double e = perHostStep(enqueue), w = perHostStep(hostWait), a = perHostStep(allReduce), u = perHostStep(update);
        m.put("step_ms", step);
        m.put("enqueue_ms", e);
        m.put("host_wait_ms", w);
        m.put("allreduce_ms", a);
        m.put("update_ms", u);
        m.put("host_other_ms", Math.max(0, step - e - w - a - u));
        m.put("host_cpu_ms", steps > 0 ? 1000 * hostCpu / steps : 0);
        List<Object> slice = new ArrayList<>(), rest = new ArrayList<>();
        for (double[] d : devices.values()) {
            double ms = d[0] > 0 ? 1000 * d[1] / d[0] : 0;
            slice.add(ms);
            rest.add(Math.max(0, step - ms));
        }
        m.put("slice_device_ms", slice);
        m.put("device_not_on_slice_ms", rest);
        return m;
    }

    private double perHostStep(double seconds) {
        return hostSteps > 0 ? 1000 * seconds / hostSteps : 0;
    }
}
