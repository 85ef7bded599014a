package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClException;
import dev.clpipe.cl.parallel.DeviceShare;
import dev.clpipe.cl.parallel.FaultPlan;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Synchronous data-parallel training on several devices. Every step the batch (rows
 * [s*B, s*B+B) of the epoch order) is split over the devices in proportion to their measured
 * speed; each replica computes the gradient of its slice's mean loss, the gradients are summed
 * as {@code rows_r / B * g_r} (which is exactly the gradient of the whole batch's mean loss) and
 * every replica applies the same update, so the replicas stay identical and the result does
 * not depend on the number of devices (up to float rounding).
 *
 * <p>Each replica works in a thread of its own for the whole step: forward and backward, then
 * the all-reduce of its buckets of the gradient in the mapped gradient buffers of all replicas
 * ({@link GradientAllReduce}: no copy into or out of host arrays), then the optimiser update.
 * The host thread only hands the step out and checks the outcome.
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

    private final TrainSettings settings;
    private final FaultPlan faults;
    private final int rebalanceEvery;
    private final List<Replica> replicas = new ArrayList<>();
    private final List<DeviceShare> shares = new ArrayList<>();
    private final ReplicaSplits splits;
    private final ReplicaFailures failures = new ReplicaFailures();
    private final DataParallelTimings timings = new DataParallelTimings();
    private final ReplicaThreads threads;
    private final Dataset testData;
    private final float mean;
    private final float std;
    private final int trainCount;
    private final int[] gradientSizes;
    private GradientBuckets buckets;
    private DeviceDataset test;
    private Replica testOwner;
    private int epoch;
    private long step;
    private double wallSeconds;

    /** {@code rebalanceEvery}: steps between re-splits by measured speed. */
    public ReplicatedTrainer(List<ClContext> devices, ModelSpec model, TrainSettings settings, Dataset trainData, Dataset testData,
            float mean, float std, FaultPlan faults, int rebalanceEvery) {
        if (devices.isEmpty()) throw new IllegalArgumentException("no devices to train on");
        if (settings.batch() < devices.size()) {
            throw new IllegalArgumentException("batch " + settings.batch() + " is smaller than the " + devices.size() + " devices");
        }
        if (trainData.count() < settings.batch()) {
            throw new IllegalArgumentException("batch " + settings.batch() + " is larger than the " + trainData.count() + " training images");
        }
        this.settings = settings;
        this.faults = faults;
        this.rebalanceEvery = rebalanceEvery;
        this.testData = testData;
        this.mean = mean;
        this.std = std;
        this.trainCount = trainData.count();
        this.splits = new ReplicaSplits(settings.batch());
        int[] rows = ReplicaSplits.even(settings.batch(), devices.size());
        this.threads = new ReplicaThreads(devices.size());
        try {
            for (int i = 0; i < devices.size(); i++) {
                Replica r = new Replica(i, devices.get(i), model, settings, trainData, mean, std, rows[i]);
                replicas.add(r);
                shares.add(r.share());
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
        return threads.waitSeconds();
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
        for (Replica r : replicas) r.setOrder(order);
        double lossSum = 0, hits = 0;
        long rows = 0;
        double lr = 0;
        for (int s = 0; s < steps; s++) {
            if (stop.getAsBoolean()) return null;
            lr = settings.schedule().rate(settings.optimizer().lr(), step, steps, total);
            LossStats.Totals t = trainStep(s * batch, lr);
            lossSum += t.loss() * t.rows();
            hits += t.accuracy() * t.rows();
            rows += t.rows();
            step++;
            progress.accept(batch);
            if (rebalanceEvery > 0 && step % rebalanceEvery == 0 && splits.rebalance(replicas, "measured", epoch, step)) replicasChanged();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        wallSeconds += seconds;
        synchronise();
        return new EpochStats(epoch++, rows > 0 ? lossSum / rows : 0, rows > 0 ? hits / rows : 0, lr, seconds, steps * batch);
    }

    /**
     * One step: every replica computes its slice in its own thread; when all succeeded, every
     * replica reduces its buckets and applies the same update, again in its own thread. A failed
     * device is dropped and the whole step redone on the others (nothing was applied yet).
     */
    private LossStats.Totals trainStep(int first, double lr) {
        long stepStart = System.nanoTime();
        while (true) {
            int[] from = new int[replicas.size()];
            for (int i = 0, offset = first; i < from.length; offset += replicas.get(i).rows(), i++) from[i] = offset;
            double[] computeSeconds = new double[replicas.size()];
            List<ReplicaThreads.Outcome<LossStats.Totals>> computed = threads.onEvery(replicas, (i, r) -> {
                long t0 = System.nanoTime();
                try {
                    faults.check(r.share().index(), step);
                    return r.compute(from[i], from[i] - first, step);
                } finally {
                    computeSeconds[i] = (System.nanoTime() - t0) / 1e9;
                }
            });
            boolean failed = computed.stream().anyMatch(ReplicaThreads.Outcome::failed);
            // rows count only when the step is kept; the time of a discarded attempt still counts as busy
            for (int i = 0; i < replicas.size(); i++) replicas.get(i).share().record(failed ? 0 : replicas.get(i).rows(), computeSeconds[i]);
            if (dropFailed(computed)) {
                stepStart = System.nanoTime();
                continue; // the whole step again on the devices left
            }
            LossStats.Totals sum = combine(computed.stream().map(ReplicaThreads.Outcome::value).toList());
            if (sum.firstBadStep() >= 0 || !Double.isFinite(sum.loss())) {
                throw new TrainingDivergedException(step, "training loss became NaN or infinite at step " + step + " (epoch " + (epoch + 1)
                        + ")" + Diagnostics.firstNonFinite(network()) + "; lower the learning rate or check the input normalisation");
            }
            double[] reduceSeconds = new double[replicas.size()], updateSeconds = new double[replicas.size()];
            reduceAndUpdate(lr, reduceSeconds, updateSeconds);
            timings.record((System.nanoTime() - stepStart) / 1e9, computeSeconds, reduceSeconds, updateSeconds);
            return sum;
        }
    }

    /**
     * Every replica reduces the buckets it owns in the mapped gradients of all replicas, waits
     * until all buckets are reduced, then unmaps its gradient and applies the update. A device
     * that fails in its update is dropped; the others have applied the step.
     */
    private void reduceAndUpdate(double lr, double[] reduceSeconds, double[] updateSeconds) {
        int n = replicas.size();
        List<FloatBuffer[]> grads = new ArrayList<>(n);
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            grads.add(replicas.get(i).mappedGradients());
            weights[i] = (double) replicas.get(i).rows() / settings.batch();
        }
        CyclicBarrier reduced = new CyclicBarrier(n);
        List<ReplicaThreads.Outcome<Void>> updated = threads.onEvery(replicas, (i, r) -> {
            long t0 = System.nanoTime();
            for (GradientBuckets.Bucket b : buckets.ownedBy(i)) GradientAllReduce.reduce(b, grads, weights);
            try {
                reduced.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted in the all-reduce", e);
            } catch (BrokenBarrierException e) {
                throw new IllegalStateException("another replica failed in the all-reduce", e);
            }
            long t1 = System.nanoTime();
            reduceSeconds[i] = (t1 - t0) / 1e9;
            try {
                r.applyReduced(lr);
            } finally {
                updateSeconds[i] = (System.nanoTime() - t1) / 1e9;
            }
            return null;
        });
        dropFailed(updated);
    }

    /** Drops the replicas whose outcome is a failure and re-splits the batch over the others; true when any was dropped. */
    private boolean dropFailed(List<? extends ReplicaThreads.Outcome<?>> outcomes) {
        List<Replica> failed = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (!outcomes.get(i).failed()) continue;
            Replica r = replicas.get(i);
            if (r == testOwner) closeTest();
            failures.drop(r, outcomes.get(i).failure(), epoch, step);
            failed.add(r);
        }
        if (failed.isEmpty()) return false;
        replicas.removeAll(failed);
        if (replicas.isEmpty()) throw new ClException("every device failed; the last error is in the log");
        splits.rebalance(replicas, "device failed", epoch, step);
        replicasChanged();
        return true;
    }

    /** The buckets' owners follow the live replicas. */
    private void replicasChanged() {
        buckets = GradientBuckets.of(gradientSizes, replicas.size(), BUCKET_FLOATS);
    }

    private static LossStats.Totals combine(List<LossStats.Totals> parts) {
        double loss = 0, hits = 0;
        long rows = 0, bad = -1;
        for (LossStats.Totals t : parts) {
            loss += t.loss() * t.rows();
            hits += t.accuracy() * t.rows();
            rows += t.rows();
            if (t.firstBadStep() >= 0) bad = t.firstBadStep();
        }
        return new LossStats.Totals(rows > 0 ? loss / rows : Double.NaN, rows > 0 ? hits / rows : 0, rows, bad);
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
        List<Param> leadParams = lead.trainer().network().params();
        for (int p = 0; p < leadParams.size(); p++) {
            float[] value;
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
            test = new DeviceDataset(lead.context(), testData, mean, std);
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
        Trainer lead = replicas.get(0).trainer();
        lead.setPosition(epoch, step);
        return Checkpoints.save(root, lead, extra);
    }

    @Override
    public Map<String, Object> load(Path folder) throws IOException {
        Map<String, Object> index = null;
        for (Replica r : replicas) index = Checkpoints.load(folder, r.trainer());
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
     * {@code failures[]} and {@code step_timing} (milliseconds per step: compute, waiting for the
     * slowest, all-reduce, update, hand-over).
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
        threads.close();
        closeTest();
        for (Replica r : replicas) r.close();
        replicas.clear();
    }
}
