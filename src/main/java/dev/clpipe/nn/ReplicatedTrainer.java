package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClException;
import dev.clpipe.cl.parallel.DeviceFailures;
import dev.clpipe.cl.parallel.DeviceShare;
import dev.clpipe.cl.parallel.FaultPlan;
import dev.clpipe.cl.parallel.ProportionalSplit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Synchronous data-parallel training on several devices. Every step the batch (rows
 * [s*B, s*B+B) of the epoch order) is split over the devices in proportion to their measured
 * speed; each replica computes the gradient of its slice's mean loss, the host sums
 * {@code rows_r / B * g_r} (which is exactly the gradient of the whole batch's mean loss) and
 * every replica applies the same update, so the replicas stay identical and the result does
 * not depend on the number of devices (up to float rounding).
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
    private static final Logger LOG = LogManager.getLogger(ReplicatedTrainer.class);

    private final TrainSettings settings;
    private final FaultPlan faults;
    private final int rebalanceEvery;
    private final List<Replica> replicas = new ArrayList<>();
    private final List<DeviceShare> shares = new ArrayList<>();
    private final List<Map<String, Object>> splits = new ArrayList<>();
    private final List<Map<String, Object>> failures = new ArrayList<>();
    private final ExecutorService pool;
    private final Dataset testData;
    private final float mean;
    private final float std;
    private final int trainCount;
    private DeviceDataset test;
    private Replica testOwner;
    private int epoch;
    private long step;
    private double syncSeconds;
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
        double[] even = new double[devices.size()];
        java.util.Arrays.fill(even, 1);
        int[] rows = ProportionalSplit.of(settings.batch(), even);
        this.pool = Executors.newFixedThreadPool(devices.size(), r -> {
            Thread t = new Thread(r, "clpipe-replica");
            t.setDaemon(true);
            return t;
        });
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
        recordSplit("start");
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
        return syncSeconds;
    }

    /** The devices still in use, in their original order. */
    public List<ClContext> devices() {
        return replicas.stream().map(Replica::context).toList();
    }

    /** Rows per device of the current split. */
    public int[] split() {
        return replicas.stream().mapToInt(Replica::rows).toArray();
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
            LossStats.Totals t = trainStep(s * batch, lr, order);
            lossSum += t.loss() * t.rows();
            hits += t.accuracy() * t.rows();
            rows += t.rows();
            step++;
            progress.accept(batch);
            if (rebalanceEvery > 0 && step % rebalanceEvery == 0) rebalance("measured");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        wallSeconds += seconds;
        synchronise();
        return new EpochStats(epoch++, rows > 0 ? lossSum / rows : 0, rows > 0 ? hits / rows : 0, lr, seconds, steps * batch);
    }

    /** One step: slices computed in parallel, gradients summed, the same update applied everywhere; redone after a failure. */
    private LossStats.Totals trainStep(int first, double lr, int[] order) {
        while (true) {
            List<Future<LossStats.Totals>> running = new ArrayList<>();
            int offset = first;
            for (Replica r : replicas) {
                int from = offset;
                offset += r.rows();
                running.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    try {
                        faults.check(r.share().index(), step);
                        return r.compute(from, from - first, step);
                    } finally {
                        r.lastSeconds = (System.nanoTime() - t0) / 1e9;
                    }
                }));
            }
            long waitStart = System.nanoTime();
            List<Replica> failed = new ArrayList<>();
            List<LossStats.Totals> totals = new ArrayList<>();
            for (int i = 0; i < running.size(); i++) {
                try {
                    totals.add(running.get(i).get());
                } catch (ExecutionException e) {
                    if (!DeviceFailures.isDeviceFailure(e.getCause())) throw rethrow(e.getCause());
                    drop(replicas.get(i), e.getCause());
                    failed.add(replicas.get(i));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while training", e);
                }
            }
            syncSeconds += (System.nanoTime() - waitStart) / 1e9;
            // rows count only when the step is kept; the time of a discarded attempt still counts as busy
            for (Replica r : replicas) r.share().record(failed.isEmpty() ? r.rows() : 0, r.lastSeconds);
            if (!failed.isEmpty()) {
                replicas.removeAll(failed);
                if (replicas.isEmpty()) throw new ClException("every device failed; the last error is in the log");
                rebalance("device failed");
                continue; // the whole step again on the devices left: nothing was applied yet
            }
            LossStats.Totals sum = combine(totals);
            if (sum.firstBadStep() >= 0 || !Double.isFinite(sum.loss())) {
                throw new TrainingDivergedException(step, "training loss became NaN or infinite at step " + step + " (epoch " + (epoch + 1)
                        + ")" + Diagnostics.firstNonFinite(network()) + "; lower the learning rate or check the input normalisation");
            }
            applyEverywhere(allReduce(), lr);
            return sum;
        }
    }

    /** g = sum over replicas of rows_r / B * g_r, in replica order (double accumulation). */
    private float[][] allReduce() {
        int batch = settings.batch();
        float[][] first = replicas.get(0).gradients();
        float[][] out = new float[first.length][];
        for (int p = 0; p < first.length; p++) {
            double[] acc = new double[first[p].length];
            for (Replica r : replicas) {
                double w = (double) r.rows() / batch;
                float[] g = r.gradients()[p];
                for (int k = 0; k < acc.length; k++) acc[k] += w * g[k];
            }
            float[] f = new float[acc.length];
            for (int k = 0; k < acc.length; k++) f[k] = (float) acc[k];
            out[p] = f;
        }
        return out;
    }

    private void applyEverywhere(float[][] gradient, double lr) {
        List<Replica> failed = new ArrayList<>();
        for (Replica r : replicas) {
            try {
                r.apply(gradient, lr);
            } catch (RuntimeException e) {
                if (!DeviceFailures.isDeviceFailure(e)) throw e;
                drop(r, e);
                failed.add(r);
            }
        }
        replicas.removeAll(failed);
        if (replicas.isEmpty()) throw new ClException("every device failed; the last error is in the log");
        if (!failed.isEmpty()) rebalance("device failed");
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

    private void drop(Replica r, Throwable cause) {
        LOG.warn("device {} ({}) failed at step {} and is dropped; its rows go to the other devices: {}",
                r.share().index(), r.share().device(), step, cause.getMessage());
        r.share().failed(cause.getMessage());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("device", r.share().index());
        f.put("name", r.share().device());
        f.put("step", step);
        f.put("epoch", epoch);
        f.put("message", cause.getMessage());
        failures.add(f);
        if (r == testOwner) closeTest();
        try {
            r.close();
        } catch (RuntimeException ignored) {
            // a failed device may refuse to release; its context is closed with the run
        }
    }

    /** Re-splits the batch by measured speed when some device would move by at least 1/32 of the batch (or one failed). */
    private void rebalance(String reason) {
        double[] speeds = new double[replicas.size()];
        for (int i = 0; i < speeds.length; i++) speeds[i] = replicas.get(i).share().speed();
        for (double s : speeds) if (s <= 0) java.util.Arrays.fill(speeds, 1); // not all measured yet: even split
        int[] next = ProportionalSplit.of(settings.batch(), speeds);
        int[] current = split();
        boolean forced = java.util.Arrays.stream(current).sum() != settings.batch();
        if (!forced && !ProportionalSplit.differs(current, next, Math.max(1, settings.batch() / 32))) return;
        for (int i = 0; i < replicas.size(); i++) replicas.get(i).resize(next[i], epoch, step);
        recordSplit(reason);
        LOG.info("step {}: batch split {} over {} ({})", step, java.util.Arrays.toString(next), replicas.stream().map(r -> r.share().index()).toList(), reason);
    }

    private void recordSplit(String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("reason", reason);
        Map<String, Integer> rows = new LinkedHashMap<>();
        for (Replica r : replicas) rows.put(String.valueOf(r.share().index()), r.rows());
        m.put("rows", rows);
        splits.add(m);
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

    /** {@code devices[]} (rows, shares, busy time, speed, failure), {@code splits[]} (every re-split) and {@code failures[]}. */
    @Override
    public Map<String, Object> deviceMetrics() {
        long totalRows = shares.stream().mapToLong(DeviceShare::rows).sum();
        List<Map<String, Object>> devices = new ArrayList<>();
        for (DeviceShare s : shares) devices.add(s.toJson(totalRows, wallSeconds));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("devices", devices);
        m.put("splits", List.copyOf(splits));
        m.put("failures", List.copyOf(failures));
        return m;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    @Override
    public void close() {
        pool.shutdownNow();
        closeTest();
        for (Replica r : replicas) r.close();
        replicas.clear();
    }
}
