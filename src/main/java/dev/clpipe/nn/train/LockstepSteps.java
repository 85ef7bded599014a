package dev.clpipe.nn.train;

import dev.clpipe.cl.parallel.DeviceFailures;
import dev.clpipe.cl.parallel.FaultPlan;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * A run of consecutive data-parallel steps driven by one host thread, which never waits for one
 * device while another has nothing queued: per step it enqueues every replica's slice (gather,
 * forward, loss, backward, the maps of the gradient and the loss totals) and only then waits, once
 * per device; it all-reduces the mapped gradients in place, enqueues every replica's update and goes
 * on to the next step. So a step costs each device its slice plus one host turn-around (a wake-up,
 * the reduce, the enqueues), with no meeting of host threads: the earlier form, one host thread per
 * replica meeting twice per step, slept three times per step per replica, and with two replica
 * threads and two PoCL worker threads on two cores whole steps stalled waiting for a core.
 *
 * <p>A device failure, an error or a non-finite loss stops the run before that step's update on
 * any replica, so the steps done are exactly the steps every live replica applied; a failure while
 * enqueueing an update (the others applied the step) stops the run after that step.
 */
final class LockstepSteps {
    /** What a run did: the steps applied, each step's summed loss totals, and why it stopped early. */
    record Result(int stepsDone, List<SoftmaxCrossEntropy.Totals> totals, Throwable[] failures, Throwable error, long divergedAt) {
        boolean anyFailed() {
            return Arrays.stream(failures).anyMatch(f -> f != null);
        }
    }

    private final List<Replica> replicas;
    private final GradientBuckets buckets;
    private final FaultPlan faults;
    private final DataParallelTimings timings;
    private final int batch;
    private final SoftmaxCrossEntropy.Totals[] slices;
    private final Throwable[] failures;
    private Throwable error;
    private long divergedAt = -1;
    private final List<SoftmaxCrossEntropy.Totals> done = new ArrayList<>();

    LockstepSteps(List<Replica> replicas, GradientBuckets buckets, FaultPlan faults, DataParallelTimings timings, int batch) {
        this.replicas = List.copyOf(replicas);
        this.buckets = buckets;
        this.faults = faults;
        this.timings = timings;
        this.batch = batch;
        int n = replicas.size();
        this.slices = new SoftmaxCrossEntropy.Totals[n];
        this.failures = new Throwable[n];
    }

    /**
     * Runs steps {@code firstStep ..} (global numbers; step k of the run trains rows
     * {@code firstRow + k * batch ..} of the epoch order) for at most {@code count} steps, at the
     * learning rate {@code lr(step)}.
     */
    Result run(long firstStep, int firstRow, int count, LongToDoubleFunction lr) {
        int n = replicas.size();
        int[] offset = new int[n];
        for (int i = 1; i < n; i++) offset[i] = offset[i - 1] + replicas.get(i - 1).rows();
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) weights[i] = (double) replicas.get(i).rows() / batch;
        long t0 = System.nanoTime(), cpu0 = DataParallelTimings.hostCpuNanos();
        int stepsDone = steps(firstStep, firstRow, count, lr, offset, weights);
        timings.addWall((System.nanoTime() - t0) / 1e9, stepsDone);
        timings.addHostCpu((DataParallelTimings.hostCpuNanos() - cpu0) / 1e9);
        return new Result(stepsDone, List.copyOf(done), failures.clone(), error, divergedAt);
    }

    private int steps(long firstStep, int firstRow, int count, LongToDoubleFunction lr, int[] offset, double[] weights) {
        int n = replicas.size();
        for (int k = 0; k < count; k++) {
            long step = firstStep + k;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Replica r = replicas.get(i);
                try {
                    faults.check(r.share().index(), step);
                    r.enqueueCompute(firstRow + offset[i] + k * batch, offset[i], step);
                } catch (Throwable e) {
                    note(i, e);
                }
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (failures[i] != null) continue;
                try {
                    slices[i] = replicas.get(i).awaitCompute();
                } catch (Throwable e) {
                    note(i, e);
                }
            }
            long t2 = System.nanoTime();
            boolean stop = error != null || Arrays.stream(failures).anyMatch(f -> f != null);
            for (int i = 0; i < n; i++) {
                Replica r = replicas.get(i);
                r.share().record(stop ? 0 : r.rows(), failures[i] != null ? (t2 - t0) / 1e9 : r.deviceSeconds()); // a discarded attempt still counts as busy
            }
            if (stop) return k;
            SoftmaxCrossEntropy.Totals sum = combine(slices);
            if (sum.firstBadStep() >= 0 || !Double.isFinite(sum.loss())) {
                divergedAt = step;
                return k;
            }
            List<FloatBuffer[]> grads = new ArrayList<>(n);
            for (Replica each : replicas) grads.add(each.mappedGradients());
            try {
                for (GradientBuckets.Bucket b : buckets.all()) GradientAllReduce.reduce(b, grads, weights);
            } catch (Throwable e) {
                error = e;
                return k;
            }
            done.add(sum);
            long t3 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                try {
                    replicas.get(i).applyReduced(lr.applyAsDouble(step));
                } catch (Throwable e) {
                    note(i, e); // the others applied this step: it counts, and the run stops after it
                }
            }
            long t4 = System.nanoTime();
            timings.recordHost((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9);
            for (Replica r : replicas) timings.recordDevice(r.share().index(), r.deviceSeconds());
            if (error != null || Arrays.stream(failures).anyMatch(f -> f != null)) return k + 1;
        }
        return count;
    }

    private void note(int i, Throwable e) {
        if (DeviceFailures.isDeviceFailure(e)) failures[i] = e;
        else if (error == null) error = e;
    }

    static SoftmaxCrossEntropy.Totals combine(SoftmaxCrossEntropy.Totals[] parts) {
        double loss = 0, hits = 0;
        long rows = 0, bad = -1;
        for (SoftmaxCrossEntropy.Totals t : parts) {
            loss += t.loss() * t.rows();
            hits += t.accuracy() * t.rows();
            rows += t.rows();
            if (t.firstBadStep() >= 0) bad = t.firstBadStep();
        }
        return new SoftmaxCrossEntropy.Totals(rows > 0 ? loss / rows : Double.NaN, rows > 0 ? hits / rows : 0, rows, bad);
    }
}
