package dev.clpipe.nn.train;

import dev.clpipe.cl.ClEvent;
import dev.clpipe.cl.parallel.DeviceFailures;
import dev.clpipe.cl.parallel.FaultPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * A run of consecutive data-parallel steps with the all-reduce and the update on the devices, for
 * replicas in one shared OpenCL context: the host thread only enqueues and never waits inside the
 * run. Per step and replica: a barrier on the other replicas' sums of the previous step (they read
 * this replica's gradient), forward and backward, a marker; then a barrier on every replica's
 * marker, {@code sum_r rows_r / B * g_r} into the replica's own buffers (exactly the host sum of
 * {@link GradientAllReduce}: double, replica order) and the optimiser on that sum. Every replica
 * applies the same update, so the replicas stay identical. The devices go from one step to the next
 * without the host; the host waits once at the end of the run, for the loss totals and the device
 * times, so a step costs each device its slice plus the wait for the slowest device.
 *
 * <p>Injected faults are checked for every replica before any of a step is enqueued, so a failure
 * stops the run after the last whole step. A non-finite loss is seen at the end of the run, as on
 * one device (which checks every {@code check_every} steps): the steps of the run are applied.
 */
final class DeviceReducedSteps {
    private final List<Replica> replicas;
    private final FaultPlan faults;
    private final DataParallelTimings timings;
    private final int batch;
    private final Throwable[] failures;
    private Throwable error;

    DeviceReducedSteps(List<Replica> replicas, FaultPlan faults, DataParallelTimings timings, int batch) {
        this.replicas = List.copyOf(replicas);
        this.faults = faults;
        this.timings = timings;
        this.batch = batch;
        this.failures = new Throwable[replicas.size()];
    }

    /** As {@link LockstepSteps#run}; the result holds one loss total for the whole run. */
    LockstepSteps.Result run(long firstStep, int firstRow, int count, LongToDoubleFunction lr) {
        int n = replicas.size();
        int[] offset = new int[n];
        for (int i = 1; i < n; i++) offset[i] = offset[i - 1] + replicas.get(i - 1).rows();
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) weights[i] = (double) replicas.get(i).rows() / batch;
        List<List<ClEvent>> started = new ArrayList<>(), computedAll = new ArrayList<>();
        List<ClEvent> reducedAll = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            started.add(new ArrayList<>());
            computedAll.add(new ArrayList<>());
        }
        timings.reducedOn("device");
        long t0 = System.nanoTime(), cpu0 = DataParallelTimings.hostCpuNanos();
        int applied = 0;
        try {
            for (Replica r : replicas) r.resetTotals();
            ClEvent[] previous = new ClEvent[n];
            for (int k = 0; k < count; k++) {
                long step = firstStep + k;
                for (int i = 0; i < n; i++) {
                    try {
                        faults.check(replicas.get(i).share().index(), step);
                    } catch (Throwable e) {
                        note(i, e);
                    }
                }
                if (stopped()) break;
                long a = System.nanoTime();
                ClEvent[] computed = new ClEvent[n];
                for (int i = 0; i < n && !stopped(); i++) {
                    try {
                        computed[i] = replicas.get(i).enqueueSlice(firstRow + offset[i] + k * batch, offset[i], step, others(previous, i), started.get(i));
                        computedAll.get(i).add(computed[i]);
                    } catch (Throwable e) {
                        note(i, e);
                    }
                }
                if (stopped()) break; // nothing of this step is applied anywhere
                long b = System.nanoTime();
                ClEvent[] reduced = new ClEvent[n];
                double rate = lr.applyAsDouble(step);
                for (int i = 0; i < n; i++) {
                    try {
                        reduced[i] = replicas.get(i).enqueueReduceAndUpdate(replicas, weights, others(computed, i), rate);
                        reducedAll.add(reduced[i]);
                    } catch (Throwable e) {
                        note(i, e); // the others apply this step: it counts, and the run stops after it
                    }
                }
                long c = System.nanoTime();
                timings.recordHost((b - a) / 1e9, 0, 0, (c - b) / 1e9);
                applied = k + 1;
                previous = reduced;
                if (stopped()) break;
            }
            long w = System.nanoTime();
            List<SoftmaxCrossEntropy.Totals> totals = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                try {
                    totals.add(replicas.get(i).readTotals()); // waits for the device; a replica that failed later did its part of the applied steps
                } catch (Throwable e) {
                    if (failures[i] == null) note(i, e);
                }
            }
            timings.addHostWait((System.nanoTime() - w) / 1e9);
            recordDeviceTimes(started, computedAll, applied);
            timings.addWall((System.nanoTime() - t0) / 1e9, applied);
            timings.addHostCpu((DataParallelTimings.hostCpuNanos() - cpu0) / 1e9);
            SoftmaxCrossEntropy.Totals sum = LockstepSteps.combine(totals.toArray(SoftmaxCrossEntropy.Totals[]::new));
            long diverged = totals.isEmpty() ? -1 : sum.firstBadStep() >= 0 ? sum.firstBadStep() : Double.isFinite(sum.loss()) || applied == 0 ? -1 : firstStep + applied - 1;
            return new LockstepSteps.Result(applied, applied > 0 ? List.of(sum) : List.of(), failures.clone(), error, diverged);
        } finally {
            started.forEach(l -> l.forEach(ClEvent::close));
            computedAll.forEach(l -> l.forEach(ClEvent::close));
            reducedAll.forEach(ClEvent::close);
        }
    }

    /** Each applied step's device time on its slice (marker to marker), for the split and the step timing. */
    private void recordDeviceTimes(List<List<ClEvent>> started, List<List<ClEvent>> computed, int applied) {
        for (int i = 0; i < replicas.size(); i++) {
            Replica r = replicas.get(i);
            for (int k = 0; k < applied && k < computed.get(i).size(); k++) {
                double seconds;
                try {
                    seconds = (computed.get(i).get(k).endNanos() - started.get(i).get(k).endNanos()) / 1e9;
                } catch (RuntimeException e) {
                    if (failures[i] == null) throw e;
                    break; // a failed device's events may be unusable
                }
                r.share().record(r.rows(), seconds);
                timings.recordDevice(r.share().index(), seconds);
            }
        }
    }

    /** The events of every replica but {@code i} (none before the first step). */
    private static ClEvent[] others(ClEvent[] events, int i) {
        return Arrays.stream(events).filter(e -> e != null && e != events[i]).toArray(ClEvent[]::new);
    }

    private boolean stopped() {
        return error != null || Arrays.stream(failures).anyMatch(f -> f != null);
    }

    private void note(int i, Throwable e) {
        if (DeviceFailures.isDeviceFailure(e)) failures[i] = e;
        else if (error == null) error = e;
    }
}
