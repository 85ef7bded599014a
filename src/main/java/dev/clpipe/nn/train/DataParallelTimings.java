package dev.clpipe.nn.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a data-parallel step's time goes, averaged over the replicas and the applied steps: the
 * replica's forward and backward (with the wait for its device), its wait for the slowest replica,
 * the all-reduce (reducing its buckets, then waiting until every bucket is reduced), the update,
 * and what is left of the wall time of a step: the hand-over between the host threads.
 */
final class DataParallelTimings {
    private long steps;
    private double wall;
    private long replicaSteps;
    private double compute;
    private double waitForSlowest;
    private double allReduce;
    private double update;

    synchronized void record(int replica, double computeSeconds, double waitSeconds, double reduceSeconds, double updateSeconds) {
        replicaSteps++;
        compute += computeSeconds;
        waitForSlowest += waitSeconds;
        allReduce += reduceSeconds;
        update += updateSeconds;
    }

    synchronized void addWall(double seconds, int stepsApplied) {
        wall += seconds;
        steps += stepsApplied;
    }

    /** Milliseconds per step for metrics.json and the bench report. */
    synchronized Map<String, Object> toJson(long gradientFloats, int buckets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", steps);
        m.put("gradient_floats", gradientFloats);
        m.put("buckets", buckets);
        double step = steps > 0 ? 1000 * wall / steps : 0;
        double c = perReplicaStep(compute), w = perReplicaStep(waitForSlowest), a = perReplicaStep(allReduce), u = perReplicaStep(update);
        m.put("step_ms", step);
        m.put("compute_ms", c);
        m.put("wait_for_slowest_ms", w);
        m.put("allreduce_ms", a);
        m.put("update_ms", u);
        m.put("handoff_ms", Math.max(0, step - c - w - a - u));
        return m;
    }

    private double perReplicaStep(double seconds) {
        return replicaSteps > 0 ? 1000 * seconds / replicaSteps : 0;
    }
}
