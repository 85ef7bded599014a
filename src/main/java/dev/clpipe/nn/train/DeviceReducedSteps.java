package dev.clpipe.nn.train;

import dev.clpipe.cl.ClEvent;
import dev.clpipe.cl.ClGate;
import dev.clpipe.cl.DeviceType;
import dev.clpipe.cl.parallel.DeviceFailures;
import dev.clpipe.cl.parallel.FaultPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongToDoubleFunction;

/**
 * A run of consecutive data-parallel steps with the all-reduce and the update on the devices, for
 * replicas in one shared OpenCL context: the host thread only enqueues, in bursts of
 * {@link #AHEAD} steps, and the devices never drain inside the run. Per step and replica: a
 * barrier on the other replicas' sums of the previous step (they read this replica's gradient),
 * forward and backward, a marker; then a barrier on every replica's marker,
 * {@code sum_r rows_r / B * g_r} into the replica's own buffers (exactly the host sum of
 * {@link GradientAllReduce}: double, replica order) and the optimiser on that sum. Every replica
 * applies the same update, so the replicas stay identical. The devices go from one step to the next
 * without the host; a step costs each device its slice plus the wait for the slowest device.
 *
 * <p>The host enqueues in one of two paces. On devices with cores of their own (GPUs), every
 * {@link #AHEAD} steps it waits for the step {@link #AHEAD} back while the devices run. On CPU
 * devices ({@link #gates}) it enqueues a stretch of steps behind a {@link ClGate} while the devices
 * are idle, opens it, and waits for the stretch's last step. Either way it then records the device
 * times of the steps done (the split follows them), and before each step it asks the
 * {@link Boundary} whether the run ends there: a stop request, or a re-split worth the drain. So a
 * run lasts until the epoch's end unless a re-split pays for itself, instead of draining the
 * devices every few steps to look at their speed.
 *
 * <p>Injected faults are checked for every replica before any of a step is enqueued, so a failure
 * stops the run after the last whole step. A non-finite loss is seen at the end of the run, as on
 * one device (which checks every {@code check_every} steps): the steps of the run are applied.
 */
final class DeviceReducedSteps {
    /**
     * Steps per burst of the host. Each wake-up of the host thread takes a core from a device for
     * its enqueue, and in lock-step that delays both devices, so the host enqueues several steps at
     * once (LeNet-5: about 0.3 ms of host per step against 8 ms of device) and sleeps while the
     * devices work through the 8 to 15 steps queued; re-splits are decided on times at most a burst old.
     */
    static final int AHEAD = 8;

    /** Where a run may end early, asked before every step but the first with the step's global number. */
    interface Boundary {
        boolean endsBefore(long step);
    }

    /**
     * Device time a gated stretch lasts at most: the host sees a stop request or a failure at the
     * next stretch, so a stop waits about this long (and a stretch's enqueue, which the devices wait
     * for, is paid once per stretch instead of beside every step).
     */
    static final double STRETCH_SECONDS = 0.25;
    /** Steps per gated stretch at most. */
    static final int STRETCH_MAX = 64;

    private final List<Replica> replicas;
    private final boolean gated;
    private final FaultPlan faults;
    private final DataParallelTimings timings;
    private final int batch;
    private final Throwable[] failures;
    private Throwable error;

    /**
     * {@code gated}: enqueue in gated stretches ({@link #gates}); the replicas' enqueue must then
     * never wait for their queues (their scratch buffers are grown: they have run a step since built).
     */
    DeviceReducedSteps(List<Replica> replicas, FaultPlan faults, DataParallelTimings timings, int batch, boolean gated) {
        this.replicas = List.copyOf(replicas);
        this.faults = faults;
        this.timings = timings;
        this.batch = batch;
        this.gated = gated;
        this.failures = new Throwable[replicas.size()];
    }

    /**
     * True when every replica is on a CPU device: its worker threads share the cores with the host
     * thread, so the host enqueues stretches of steps behind a {@link ClGate} while the devices are
     * idle and then opens it, instead of enqueueing while they run. Measured on two one-thread
     * PoCL sub-devices of a 2-core machine: an enqueue burst beside the devices took a core from one
     * of them, the other waited for it at the next all-reduce, and both lost cache; a step spent
     * 0.75-0.95 ms off its slice at batch 128 with the host enqueueing beside the devices and
     * 0.25-0.4 ms with it idle (the enqueue itself, 0.26 ms a step, then runs while both wait).
     * A GPU has its own cores: there the host enqueues while the device runs. So does a replica
     * whose source cannot take {@link #AHEAD} gathers with its device held (a stream through a few
     * host slots, {@link dev.clpipe.nn.BatchSource#gathersAheadOfDevice}): a longer stretch would
     * never be enqueued, a shorter one would drain the devices every few steps. Its host bursts only
     * wait for the devices, which run.
     */
    static boolean gates(List<Replica> replicas) {
        return replicas.stream().allMatch(r -> r.context().device().type() == DeviceType.CPU) && gatedStepsAtMost(replicas) >= AHEAD;
    }

    /** Steps one gated stretch may hold: as many gathers as every replica's source can take with its device held. */
    private static int gatedStepsAtMost(List<Replica> replicas) {
        return replicas.stream().mapToInt(Replica::gathersAheadOfDevice).min().orElse(0);
    }

    /**
     * Steps per gated stretch: about {@link #STRETCH_SECONDS} of device time, {@link #AHEAD} to
     * {@link #STRETCH_MAX}, never more than the sources can take ({@link #gatedStepsAtMost}).
     */
    private int stretchSteps() {
        double seconds = 0;
        for (Replica r : replicas) {
            double speed = r.share().speed();
            if (!(speed > 0)) return AHEAD;
            seconds = Math.max(seconds, r.rows() / speed);
        }
        return (int) Math.min(gatedStepsAtMost(replicas), Math.max(AHEAD, Math.min(STRETCH_MAX, STRETCH_SECONDS / seconds)));
    }

    /**
     * As {@link LockstepSteps#run}, ending early where {@code boundary} says so; the result holds
     * one loss total for the whole run. {@code done} receives the steps the devices have finished,
     * as they finish (progress).
     */
    LockstepSteps.Result run(long firstStep, int firstRow, int count, LongToDoubleFunction lr, Boundary boundary, LongConsumer done) {
        int n = replicas.size();
        int[] offset = new int[n];
        for (int i = 1; i < n; i++) offset[i] = offset[i - 1] + replicas.get(i - 1).rows();
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) weights[i] = (double) replicas.get(i).rows() / batch;
        List<ClEvent[]> started = new ArrayList<>(), computed = new ArrayList<>(), reduced = new ArrayList<>();
        timings.reducedOn("device");
        long t0 = System.nanoTime(), cpu0 = DataParallelTimings.hostCpuNanos();
        int applied = 0, recorded = 0;
        int stretch = gated ? stretchSteps() : 0;
        ClGate gate = null;
        try {
            for (Replica r : replicas) r.resetTotals();
            ClEvent[] previous = new ClEvent[n];
            int stretchEnd = 0;
            for (int k = 0; k < count; k++) {
                long step = firstStep + k;
                int waitFor = stepsToAwait(k, stretchEnd);
                if (gate != null && waitFor > 0) gate.open();
                if (waitFor > 0) {
                    long w = System.nanoTime();
                    awaitStep(reduced.get(waitFor - 1));
                    timings.addHostWait((System.nanoTime() - w) / 1e9);
                    recordDeviceTimes(started, computed, recorded, waitFor);
                    done.accept(waitFor - recorded);
                    recorded = waitFor;
                }
                if (stopped() || k > 0 && boundary.endsBefore(step)) break;
                for (int i = 0; i < n; i++) {
                    try {
                        faults.check(replicas.get(i).share().index(), step);
                    } catch (Throwable e) {
                        note(i, e);
                    }
                }
                if (stopped()) break;
                if (gated && k == stretchEnd) { // the devices are idle: hold them until the stretch is enqueued
                    if (gate != null) gate.close();
                    gate = replicas.get(0).context().gate();
                    for (Replica r : replicas) gate.hold(r.context().queue());
                    timings.addGatedStretch();
                    stretchEnd = k + stretch;
                }
                long a = System.nanoTime();
                ClEvent[] sliceStart = new ClEvent[n], sliceEnd = new ClEvent[n];
                for (int i = 0; i < n && !stopped(); i++) {
                    try {
                        sliceStart[i] = replicas.get(i).enqueueStart(others(previous, i));
                        sliceEnd[i] = replicas.get(i).enqueueSlice(firstRow + offset[i] + k * batch, offset[i], step);
                    } catch (Throwable e) {
                        note(i, e);
                    }
                }
                started.add(sliceStart);
                computed.add(sliceEnd);
                if (stopped()) break; // nothing of this step is applied anywhere
                long b = System.nanoTime();
                ClEvent[] sums = new ClEvent[n];
                double rate = lr.applyAsDouble(step);
                for (int i = 0; i < n; i++) {
                    try {
                        sums[i] = replicas.get(i).enqueueReduceAndUpdate(replicas, weights, others(sliceEnd, i), rate);
                    } catch (Throwable e) {
                        note(i, e); // the others apply this step: it counts, and the run stops after it
                    }
                }
                reduced.add(sums);
                timings.recordHost((b - a) / 1e9, 0, 0, (System.nanoTime() - b) / 1e9);
                applied = k + 1;
                previous = sums;
                if (stopped()) break;
            }
            if (gate != null) gate.open();
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
            recordDeviceTimes(started, computed, recorded, applied);
            done.accept(applied - recorded);
            timings.addWall((System.nanoTime() - t0) / 1e9, applied);
            timings.addHostCpu((DataParallelTimings.hostCpuNanos() - cpu0) / 1e9);
            SoftmaxCrossEntropy.Totals sum = LockstepSteps.combine(totals.toArray(SoftmaxCrossEntropy.Totals[]::new));
            long diverged = totals.isEmpty() ? -1 : sum.firstBadStep() >= 0 ? sum.firstBadStep() : Double.isFinite(sum.loss()) || applied == 0 ? -1 : firstStep + applied - 1;
            return new LockstepSteps.Result(applied, applied > 0 ? List.of(sum) : List.of(), failures.clone(), error, diverged);
        } finally {
            if (gate != null) gate.close(); // opens it: a failed enqueue must not leave the queues held
            for (List<ClEvent[]> events : List.of(started, computed, reduced)) {
                for (ClEvent[] step : events) for (ClEvent e : step) if (e != null) e.close();
            }
        }
    }

    /**
     * Before enqueueing step {@code k} of the run, how many of its steps the host waits to be done (-1: none): gated, at
     * the end of a stretch, all of them (the devices then idle while the next stretch is enqueued); else every
     * {@link #AHEAD} steps, all but the last {@link #AHEAD} - 1, so the devices keep a burst queued.
     */
    private int stepsToAwait(int k, int stretchEnd) {
        if (gated) return k == stretchEnd ? k : -1;
        return k >= AHEAD && k % AHEAD == 0 ? k - AHEAD + 1 : -1;
    }

    /** Waits for every replica's sum of one step; a replica whose device failed is noted. */
    private void awaitStep(ClEvent[] sums) {
        for (int i = 0; i < sums.length; i++) {
            if (sums[i] == null || failures[i] != null) continue;
            try {
                sums[i].waitFor();
            } catch (Throwable e) {
                note(i, e);
            }
        }
    }

    /** Steps [from, to)'s device time on each replica's slice (marker to marker), for the split and the step timing. */
    private void recordDeviceTimes(List<ClEvent[]> started, List<ClEvent[]> computed, int from, int to) {
        for (int i = 0; i < replicas.size(); i++) {
            Replica r = replicas.get(i);
            for (int k = from; k < to && k < computed.size(); k++) {
                if (started.get(k)[i] == null || computed.get(k)[i] == null) break; // the step where this device failed
                double seconds;
                try {
                    seconds = (computed.get(k)[i].endNanos() - started.get(k)[i].endNanos()) / 1e9;
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
