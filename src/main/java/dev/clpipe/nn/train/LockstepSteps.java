package dev.clpipe.nn.train;

import dev.clpipe.cl.parallel.DeviceFailures;
import dev.clpipe.cl.parallel.FaultPlan;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.function.LongToDoubleFunction;

/**
 * A run of consecutive data-parallel steps in which every replica's thread goes from step to
 * step on its own, meeting the others only where the arithmetic needs it: once every slice's
 * gradient is mapped (then each reduces its buckets) and once every bucket is reduced (then each
 * applies the update and goes straight on to its next slice). The host thread is not involved
 * between the steps of a run, so a device never waits for it, only for the slowest replica.
 *
 * <p>Every thread reaches every meeting point, also after a failure: a device failure, an error
 * or a non-finite loss is put in the shared state and all threads stop at the same step, before
 * its update, so the steps done are exactly the steps every live replica applied. What a phase
 * writes is read only after the next meeting, so every thread takes the same decision.
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
    private final CyclicBarrier computed;
    private final CyclicBarrier reduced;
    private final SoftmaxCrossEntropy.Totals[] slices;
    private final Throwable[] failures;
    /** Written before the first meeting of a step (compute, or the previous step's update); read right after it. */
    private volatile Throwable error;
    /** Written between the two meetings (the reduce); read right after the second, so no thread can see it early. */
    private volatile Throwable reduceError;
    private volatile long divergedAt = -1;
    private final List<SoftmaxCrossEntropy.Totals> done = new ArrayList<>();

    LockstepSteps(List<Replica> replicas, GradientBuckets buckets, FaultPlan faults, DataParallelTimings timings, int batch) {
        this.replicas = List.copyOf(replicas);
        this.buckets = buckets;
        this.faults = faults;
        this.timings = timings;
        this.batch = batch;
        int n = replicas.size();
        this.computed = new CyclicBarrier(n);
        this.reduced = new CyclicBarrier(n);
        this.slices = new SoftmaxCrossEntropy.Totals[n];
        this.failures = new Throwable[n];
    }

    /**
     * Runs steps {@code firstStep ..} (global numbers; step k of the run trains rows
     * {@code firstRow + k * batch ..} of the epoch order) for at most {@code count} steps, at the
     * learning rate {@code lr(step)}.
     */
    Result run(ReplicaThreads threads, long firstStep, int firstRow, int count, LongToDoubleFunction lr) {
        int[] offset = new int[replicas.size()];
        for (int i = 1; i < offset.length; i++) offset[i] = offset[i - 1] + replicas.get(i - 1).rows();
        double[] weights = new double[replicas.size()];
        for (int i = 0; i < weights.length; i++) weights[i] = (double) replicas.get(i).rows() / batch;
        long t0 = System.nanoTime();
        int[] stepsDone = new int[1];
        threads.onEvery(replicas, (i, r) -> {
            int k = replicaLoop(i, r, firstStep, firstRow + offset[i], offset[i], count, lr, weights);
            if (i == 0) stepsDone[0] = k;
            return null;
        });
        timings.addWall((System.nanoTime() - t0) / 1e9, stepsDone[0]);
        return new Result(stepsDone[0], List.copyOf(done), failures.clone(), error != null ? error : reduceError, divergedAt);
    }

    /** One replica's thread: returns the number of steps it applied (the same for every thread). */
    private int replicaLoop(int i, Replica r, long firstStep, int firstRow, int rowInBatch, int count, LongToDoubleFunction lr, double[] weights) {
        for (int k = 0; k < count; k++) {
            long step = firstStep + k;
            long t0 = System.nanoTime();
            if (failures[i] == null && error == null) {
                try {
                    faults.check(r.share().index(), step);
                    slices[i] = r.compute(firstRow + k * batch, rowInBatch, step);
                } catch (Throwable e) {
                    note(i, e);
                }
            }
            long t1 = System.nanoTime();
            if (!meet(computed)) return k;
            long t2 = System.nanoTime();
            boolean stop = error != null || Arrays.stream(failures).anyMatch(f -> f != null);
            r.share().record(stop ? 0 : r.rows(), (t1 - t0) / 1e9); // a discarded attempt's time still counts as busy
            if (stop) return k;
            SoftmaxCrossEntropy.Totals sum = combine(slices);
            if (sum.firstBadStep() >= 0 || !Double.isFinite(sum.loss())) {
                divergedAt = step;
                return k;
            }
            if (i == 0) done.add(sum);
            List<FloatBuffer[]> grads = new ArrayList<>(replicas.size());
            for (Replica each : replicas) grads.add(each.mappedGradients());
            try {
                for (GradientBuckets.Bucket b : buckets.ownedBy(i)) GradientAllReduce.reduce(b, grads, weights);
            } catch (Throwable e) {
                reduceError = e;
            }
            if (!meet(reduced)) return k;
            long t3 = System.nanoTime();
            if (reduceError != null) return k;
            try {
                r.applyReduced(lr.applyAsDouble(step));
            } catch (Throwable e) {
                note(i, e); // the others applied this step; every thread stops at the next meeting
            }
            timings.record(i, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (System.nanoTime() - t3) / 1e9);
        }
        return count;
    }

    private void note(int i, Throwable e) {
        if (DeviceFailures.isDeviceFailure(e)) failures[i] = e;
        else if (error == null) error = e;
    }

    /** Waits for every replica's thread; false when interrupted (the run is being shut down). */
    private boolean meet(CyclicBarrier barrier) {
        try {
            barrier.await();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (error == null) error = e;
            return false;
        } catch (BrokenBarrierException e) {
            if (error == null) error = e;
            return false;
        }
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
