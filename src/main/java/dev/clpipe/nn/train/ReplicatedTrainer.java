package dev.clpipe.nn.train;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClEvent;
import dev.clpipe.cl.ClException;
import dev.clpipe.cl.parallel.DeviceShare;
import dev.clpipe.cl.parallel.FaultPlan;
import dev.clpipe.nn.BatchSource;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceSources;
import dev.clpipe.nn.Diagnostics;
import dev.clpipe.nn.EpochOrder;
import dev.clpipe.nn.Evaluation;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.TrainingDivergedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongToDoubleFunction;

/**
 * Synchronous data-parallel training on several devices. Every step the batch (rows
 * [s*B, s*B+B) of the epoch order) is split over the devices in proportion to their measured
 * speed; each replica computes the gradient of its slice's mean loss, the gradients are summed
 * as {@code rows_r / B * g_r} (which is exactly the gradient of the whole batch's mean loss) and
 * every replica applies the same update, so the replicas stay identical and the result does
 * not depend on the number of devices (up to float rounding). Each replica gathers its slice from a
 * training source of its own ({@link DeviceSources}: the set uploaded to its device, or a stream
 * from a labelled folder's sample cache, augmented or not, drawn per sample from (seed, epoch,
 * index), so the rows and their variants do not depend on the split either).
 *
 * <p>One host thread drives every replica. When the devices share one OpenCL context (the devices
 * of one platform opened together) it only enqueues: each device sums every replica's gradient
 * itself and applies the update, with barriers on the other devices' markers between
 * ({@link DeviceReducedSteps}); the host enqueues in bursts of a few steps and the devices drain
 * only at the epoch's end or for a re-split. Otherwise ({@link LockstepSteps}) it
 * enqueues every slice's forward and backward, waits once per device, all-reduces the gradient in
 * the mapped gradient buffers of all replicas ({@link GradientAllReduce}: no copy into or out of
 * host arrays) and enqueues every update; its runs last up to {@link #MAX_RUN} steps. Between runs
 * it re-splits the batch and handles failures.
 *
 * <p>Batch normalisation normalises each slice with its own statistics (as PyTorch's
 * DataParallel without SyncBatchNorm); the running statistics are averaged over the replicas,
 * weighted by rows, before evaluation and checkpoints. Dropout masks are keyed on the row's
 * position in the whole batch, so they do not depend on the split either.
 *
 * <p>A device that fails (an OpenCL error, or a {@link FaultPlan} fault) is dropped with a
 * warning and the step is redone on the others; the optimiser runs only after every slice of a
 * step succeeded, so no update is lost or applied twice.
 */
public final class ReplicatedTrainer implements TrainingSession {
    /** Floats per all-reduce bucket (PyTorch DDP's default is 25 MB; LeNet-5's whole gradient is 62k floats). */
    private static final long BUCKET_FLOATS = 16_384;
    /** Longest run of steps between two visits of the host thread (stop requests, progress). */
    private static final int MAX_RUN = 16;

    private final TrainSettings settings;
    private final FaultPlan faults;
    private final int rebalanceEvery;
    /**
     * The replicas have run a step since they were built, so their scratch buffers are grown and
     * enqueueing never waits for a queue: only then may the devices be held behind a gate.
     */
    private boolean warmed;
    private final List<Replica> replicas = new ArrayList<>();
    private final List<DeviceShare> shares = new ArrayList<>();
    private final ReplicaSplits splits;
    private final ReplicaFailures failures = new ReplicaFailures();
    private final DataParallelTimings timings = new DataParallelTimings();
    private final DeviceSources data;
    private final int trainCount;
    /** Data wait of the replicas dropped so far (their sources are closed with them). */
    private double droppedDataWait;
    private final int[] gradientSizes;
    private GradientBuckets buckets;
    private BatchSource test;
    private Replica testOwner;
    private int epoch;
    private long step;
    private double wallSeconds;
    private boolean hostReduce;

    /** IDX data uploaded to every device; {@code rebalanceEvery}: steps between re-splits by measured speed. */
    public ReplicatedTrainer(List<ClContext> devices, ModelSpec model, TrainSettings settings, Dataset trainData, Dataset testData,
            float mean, float std, FaultPlan faults, int rebalanceEvery) {
        this(devices, model, settings, DeviceSources.uploaded(trainData, testData, mean, std), faults, rebalanceEvery);
    }

    /** Training and test batches from {@code data}'s sources; {@code rebalanceEvery}: steps between re-splits by measured speed. */
    public ReplicatedTrainer(List<ClContext> devices, ModelSpec model, TrainSettings settings, DeviceSources data, FaultPlan faults, int rebalanceEvery) {
        if (devices.isEmpty()) throw new IllegalArgumentException("no devices to train on");
        if (settings.batch() < devices.size()) {
            throw new IllegalArgumentException("batch " + settings.batch() + " is smaller than the " + devices.size() + " devices");
        }
        this.settings = settings;
        this.faults = faults;
        this.rebalanceEvery = rebalanceEvery;
        this.data = data;
        this.splits = new ReplicaSplits(settings.batch());
        int[] rows = ReplicaSplits.even(settings.batch(), devices.size());
        try {
            for (int i = 0; i < devices.size(); i++) {
                Replica r = new Replica(i, devices.get(i), model, settings, data.train(), rows[i]);
                replicas.add(r);
                shares.add(r.share());
            }
            this.trainCount = replicas.get(0).trainCount();
            if (trainCount < settings.batch()) {
                throw new IllegalArgumentException("batch " + settings.batch() + " is larger than the " + trainCount + " training images");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.gradientSizes = replicas.get(0).trainer().network().trainable().stream().mapToInt(Param::size).toArray();
        this.buckets = GradientBuckets.of(gradientSizes, replicas.size(), BUCKET_FLOATS);
        splits.record(replicas, "start", step);
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public long step() {
        return step;
    }

    @Override
    public long stepsPerEpoch() {
        return trainCount / settings.batch();
    }

    @Override
    public double syncSeconds() {
        return timings.hostWaitSeconds();
    }

    /**
     * The sum over the replicas (dropped ones included) of the seconds their gathers waited for
     * samples: one host thread enqueues every replica's slice in turn, so their waits add up in its time.
     */
    @Override
    public double dataWaitSeconds() {
        return droppedDataWait + replicas.stream().mapToDouble(Replica::dataWaitSeconds).sum();
    }

    /** The devices still in use, in their original order. */
    public List<ClContext> devices() {
        return replicas.stream().map(Replica::context).toList();
    }

    /** Rows per device of the current split. */
    public int[] split() {
        return ReplicaSplits.rows(replicas);
    }

    /** The first live replica's network (all replicas hold the same parameters). */
    public Network network() {
        return replicas.get(0).trainer().network();
    }

    @Override
    public EpochStats trainEpoch(LongConsumer progress, BooleanSupplier stop) {
        int batch = settings.batch();
        long steps = stepsPerEpoch();
        long total = steps * settings.epochs();
        long t0 = System.nanoTime();
        int[] order = EpochOrder.of(settings.seed(), epoch, trainCount);
        for (Replica r : replicas) r.startEpoch(epoch, order);
        double lossSum = 0, hits = 0;
        long rows = 0;
        int s = 0;
        while (s < steps) {
            if (stop.getAsBoolean()) return null;
            LongToDoubleFunction lr = k -> settings.schedule().rate(settings.optimizer().lr(), k, steps, total);
            int[][] move = new int[1][];
            boolean onDevice = reduceOnDevice();
            // On the devices a run lasts to the epoch's end unless a re-split is worth its drain; on the host, runs of at most MAX_RUN.
            DeviceReducedSteps.Boundary boundary = at -> stop.getAsBoolean()
                    || rebalanceEvery > 0 && at % rebalanceEvery == 0 && (move[0] = splits.next(replicas)) != null;
            LockstepSteps.Result run = onDevice
                    ? new DeviceReducedSteps(replicas, faults, timings, batch, warmed && DeviceReducedSteps.gates(replicas))
                            .run(step, s * batch, (int) (steps - s), lr, boundary, done -> progress.accept((long) batch * done))
                    : new LockstepSteps(replicas, buckets, faults, timings, batch).run(step, s * batch, runLength(steps - s), lr);
            for (SoftmaxCrossEntropy.Totals t : run.totals()) {
                lossSum += t.loss() * t.rows();
                hits += t.accuracy() * t.rows();
                rows += t.rows();
            }
            s += run.stepsDone();
            step += run.stepsDone();
            warmed |= run.stepsDone() > 0;
            if (!onDevice) progress.accept((long) batch * run.stepsDone());
            if (run.error() != null) throw rethrow(run.error());
            if (run.divergedAt() >= 0) {
                throw new TrainingDivergedException(step, "training loss became NaN or infinite at step " + step + " (epoch " + (epoch + 1)
                        + ")" + Diagnostics.firstNonFinite(network()) + "; lower the learning rate or check the input normalisation");
            }
            if (run.anyFailed()) dropFailed(run.failures());
            else if (move[0] != null) {
                splits.apply(replicas, move[0], "measured", epoch, step);
                replicasChanged();
            } else if (!onDevice && rebalanceEvery > 0 && step % rebalanceEvery == 0 && splits.rebalance(replicas, "measured", epoch, step)) replicasChanged();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        wallSeconds += seconds;
        synchronise();
        double lr = settings.schedule().rate(settings.optimizer().lr(), Math.max(0, step - 1), steps, total);
        return new EpochStats(epoch++, rows > 0 ? lossSum / rows : 0, rows > 0 ? hits / rows : 0, lr, seconds, steps * batch);
    }

    /**
     * Sums the gradients on the devices ({@link DeviceReducedSteps}) when every replica shares one
     * OpenCL context and computes in double, unless {@link #reduceOnHost} was called; else in the
     * mapped buffers on the host ({@link LockstepSteps}). Both give the same floats.
     */
    private boolean reduceOnDevice() {
        return !hostReduce && replicas.size() > 1 && replicas.stream().allMatch(r -> r.canReduceOnDevice(replicas));
    }

    /** Keeps the all-reduce on the host even where the devices could do it (to compare both forms). */
    public ReplicatedTrainer reduceOnHost() {
        hostReduce = true;
        return this;
    }

    /** Steps the replicas run without the host thread: up to the next re-split, at most {@link #MAX_RUN}. */
    private int runLength(long left) {
        long toRebalance = rebalanceEvery > 0 ? rebalanceEvery - step % rebalanceEvery : MAX_RUN;
        return (int) Math.min(left, Math.min(toRebalance, MAX_RUN));
    }

    /** Drops the replicas that failed and re-splits the batch over the others. */
    private void dropFailed(Throwable[] failed) {
        List<Replica> dropped = new ArrayList<>();
        for (int i = 0; i < failed.length; i++) {
            if (failed[i] == null) continue;
            Replica r = replicas.get(i);
            if (r == testOwner) closeTest();
            droppedDataWait += r.dataWaitSeconds();
            failures.drop(r, failed[i], epoch, step);
            dropped.add(r);
        }
        replicas.removeAll(dropped);
        if (replicas.isEmpty()) throw new ClException("every device failed; the last error is in the log");
        splits.rebalance(replicas, "device failed", epoch, step);
        replicasChanged();
    }

    /** The buckets' owners follow the live replicas. */
    private void replicasChanged() {
        buckets = GradientBuckets.of(gradientSizes, replicas.size(), BUCKET_FLOATS);
        warmed = false;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /**
     * Averages batch-norm running statistics over the replicas (weighted by rows) and copies the
     * first replica's parameters and optimiser state to the others, so replicas on different
     * kinds of device cannot drift apart by rounding.
     */
    private void synchronise() {
        if (replicas.size() < 2) return;
        int batch = settings.batch();
        Replica lead = replicas.get(0);
        boolean onDevice = reduceOnDevice();
        if (onDevice) { // one shared context: device copies of the flat parameters and state, queued behind the lead's last update, no host wait
            ClEvent updated = lead.context().queue().marker();
            try {
                for (Replica r : replicas.subList(1, replicas.size())) r.copyTrainedFrom(lead, updated);
            } finally {
                updated.close();
            }
        }
        List<Param> leadParams = lead.trainer().network().params();
        for (int p = 0; p < leadParams.size(); p++) {
            float[] value;
            if (onDevice && leadParams.get(p).trainable()) continue;
            if (leadParams.get(p).trainable()) {
                value = leadParams.get(p).value().readFloats(lead.context().queue());
            } else {
                double[] acc = new double[leadParams.get(p).size()];
                for (Replica r : replicas) {
                    float[] v = r.trainer().network().params().get(p).value().readFloats(r.context().queue());
                    for (int k = 0; k < acc.length; k++) acc[k] += (double) r.rows() / batch * v[k];
                }
                value = new float[acc.length];
                for (int k = 0; k < acc.length; k++) value[k] = (float) acc[k];
            }
            for (Replica r : replicas) r.trainer().network().params().get(p).value().write(r.context().queue(), value);
        }
        if (onDevice) return;
        for (Map.Entry<String, ClBuffer> e : lead.trainer().optimizer().state().entrySet()) {
            float[] v = e.getValue().readFloats(lead.context().queue());
            for (Replica r : replicas.subList(1, replicas.size())) r.trainer().optimizer().state().get(e.getKey()).write(r.context().queue(), v);
        }
    }

    @Override
    public Evaluation evaluate() {
        Replica lead = replicas.get(0);
        if (testOwner != lead) {
            closeTest();
            test = data.test().apply(lead.context());
            testOwner = lead;
        }
        return lead.trainer().evaluate(test);
    }

    private void closeTest() {
        if (test != null) {
            try {
                test.close();
            } catch (RuntimeException ignored) {
                // released with its context
            }
        }
        test = null;
        testOwner = null;
    }

    @Override
    public Path save(Path root, Map<String, Object> extra) throws IOException {
        TrainLoop<?> lead = replicas.get(0).trainer().loop();
        lead.setPosition(epoch, step);
        return lead.save(root, extra, List.of());
    }

    @Override
    public Map<String, Object> load(Path folder) throws IOException {
        Map<String, Object> index = null;
        for (Replica r : replicas) index = r.trainer().loop().restore(folder);
        epoch = replicas.get(0).trainer().epoch();
        step = replicas.get(0).trainer().step();
        return index;
    }

    @Override
    public String describe() {
        StringBuilder s = new StringBuilder(replicas.size() + " devices in data parallel:");
        for (Replica r : replicas) s.append(' ').append(r.share().index()).append('=').append(r.share().device());
        return s.append("; kernels ").append(network().describeKernels()).toString();
    }

    /**
     * {@code devices[]} (rows, shares, busy time, speed, failure), {@code splits[]} (every re-split),
     * {@code failures[]} and {@code step_timing} (milliseconds per step: the host's enqueue, wait,
     * all-reduce and update; each device's time on its slice and off it).
     */
    @Override
    public Map<String, Object> deviceMetrics() {
        long totalRows = shares.stream().mapToLong(DeviceShare::rows).sum();
        List<Map<String, Object>> devices = new ArrayList<>();
        for (DeviceShare s : shares) devices.add(s.toJson(totalRows, wallSeconds));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("devices", devices);
        m.put("splits", splits.history());
        m.put("failures", failures.toJson());
        m.put("step_timing", timings.toJson(java.util.Arrays.stream(gradientSizes).asLongStream().sum(), buckets.all().size()));
        return m;
    }

    @Override
    public void close() {
        closeTest();
        for (Replica r : replicas) r.close();
        replicas.clear();
    }
}
