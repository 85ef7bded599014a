package dev.clpipe.nn;

import dev.clpipe.augment.AugmentConfig;
import dev.clpipe.augment.Augmenter;
import dev.clpipe.augment.BatchParams;
import dev.clpipe.augment.DeviceBatch;
import dev.clpipe.augment.ParamPlanner;
import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClEvent;
import dev.clpipe.data.CachedSamples;
import dev.clpipe.data.SampleRows;
import dev.clpipe.data.SampleFormat;
import dev.clpipe.nn.ops.GatherBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Batches streamed from a decoded-sample cache ({@link CachedSamples}), or from any other host
 * {@link SampleRows} (an IDX dataset in memory, when it is augmented), instead of a dataset held
 * on the device: a prefetch thread copies the next batch's samples, in the visiting order, out of
 * the mapped shards into one of a few direct host slots while the device computes the current
 * step; {@link #gather} uploads the slot without blocking and normalises it with the same
 * {@code gather_batch} kernel as {@link DeviceDataset}. The time {@link #gather} waits for a slot
 * beyond waiting for the device to take an earlier slot is the data wait ({@link #dataWaitSeconds}).
 * Only a few batches are ever in memory: {@link #slotsFor} slots, as many as a stretch of gated
 * data-parallel steps enqueues ahead of the devices where they are small (LeNet-sized samples),
 * at least {@link #MIN_SLOTS} where they are large.
 *
 * <p>With a view ({@link AugmentConfig}: training augmentation, or the centre crop or resize that
 * fits evaluation samples to the model's input) the uploaded uint8 batch first goes through the
 * augment kernels ({@link Augmenter}) on the device: sample i of epoch e is drawn from (seed, e, i)
 * alone, so a resumed run sees the same variants. Its parameters are planned on the prefetch thread
 * and uploaded with the pixels, so the device pass blocks nothing.
 */
public final class CachedBatchSource implements BatchSource {
    /** Slots at least: one uploading, one being filled, one ready. */
    static final int MIN_SLOTS = 3;
    /** Slots at most: a gated stretch of data-parallel steps enqueues at most this many gathers ahead of its devices. */
    static final int MAX_SLOTS = 64;
    /** Host bytes (and as many device bytes) the slots of one source may take beyond {@link #MIN_SLOTS}. */
    static final long SLOT_BUDGET_BYTES = 32L << 20;

    private final ClContext context;
    private final SampleRows samples;
    private final GatherBatch gather;
    private final Shape shape;
    private final Shape stored;
    private final Augmenter augmenter;
    private final ParamPlanner planner;
    private final DeviceBatch viewed;
    private final int maxBatch;
    private final float mean;
    private final float invStd;
    private final Slot[] slots;
    private final DeviceOrder identity;
    private final ExecutorService prefetcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clpipe-prefetch");
        t.setDaemon(true);
        return t;
    });
    private int[] order;
    private int next;
    private Future<Long> pending;
    private int pendingFirst = -1;
    private int pendingValid;
    private long waitNanos;
    private int epoch;
    private int stride;
    private BatchParams lastPlan;

    /** One host slot and its device copy (pixels, labels, and the view's plan when there is a view). */
    private static final class Slot implements AutoCloseable {
        final ByteBuffer pixels;
        final ByteBuffer labels;
        final ByteBuffer plan;
        final DeviceBatch devicePixels;
        final ClBuffer deviceLabels;
        final ClBuffer devicePlan;
        BatchParams params;
        ClEvent pixelsWritten;
        ClEvent labelsWritten;
        ClEvent planWritten;

        Slot(ClContext context, int batch, SampleFormat f, boolean viewed) {
            pixels = ByteBuffer.allocateDirect(batch * f.bytes());
            labels = ByteBuffer.allocateDirect(batch * Integer.BYTES).order(ByteOrder.nativeOrder());
            devicePixels = DeviceBatch.allocate(context, batch, f.height(), f.width(), f.channels());
            deviceLabels = context.buffer((long) batch * Integer.BYTES);
            plan = viewed ? ByteBuffer.allocateDirect(batch * BatchParams.FLOATS_PER_IMAGE * Float.BYTES).order(ByteOrder.nativeOrder()) : null;
            devicePlan = viewed ? context.buffer((long) batch * BatchParams.FLOATS_PER_IMAGE * Float.BYTES) : null;
        }

        /** Waits until the device has copied this slot's last contents, so they may be overwritten. */
        void awaitUploaded() {
            for (ClEvent e : new ClEvent[] {pixelsWritten, labelsWritten, planWritten}) {
                if (e != null) {
                    e.waitFor();
                    e.close();
                }
            }
            pixelsWritten = labelsWritten = planWritten = null;
        }

        @Override
        public void close() {
            awaitUploaded();
            devicePixels.close();
            deviceLabels.close();
            if (devicePlan != null) devicePlan.close();
        }
    }

    /** Batches of the samples as stored (their shape is the batch row shape). */
    public CachedBatchSource(ClContext context, SampleRows samples, int maxBatch, float mean, float std) {
        this(context, samples, maxBatch, mean, std, null);
    }

    /**
     * Batches through {@code view} (null: none, the samples as stored): its output size is the
     * batch row size, its channels the stored ones.
     */
    public CachedBatchSource(ClContext context, SampleRows samples, int maxBatch, float mean, float std, AugmentConfig view) {
        if (!(std > 0)) throw new IllegalArgumentException("normalisation std must be > 0, got " + std);
        if (samples.count() == 0) throw new IllegalArgumentException("no decodable images in " + samples.describe());
        SampleFormat f = samples.format();
        this.context = context;
        this.samples = samples;
        this.stored = new Shape(f.height(), f.width(), f.channels());
        this.shape = view == null ? stored : new Shape(view.outputHeight(), view.outputWidth(), f.channels());
        this.maxBatch = maxBatch;
        this.mean = mean;
        this.invStd = 1f / std;
        List<AutoCloseable> made = new ArrayList<>();
        try {
            this.gather = made(made, new GatherBatch(context));
            this.identity = made(made, new DeviceOrder(context, maxBatch));
            this.augmenter = view == null ? null : made(made, new Augmenter(context, view));
            this.planner = view == null ? null : new ParamPlanner(view);
            this.viewed = view == null ? null : made(made, DeviceBatch.allocate(context, maxBatch, shape.height(), shape.width(), shape.channels()));
            this.slots = new Slot[slotsFor(maxBatch, f, view != null)];
            for (int i = 0; i < slots.length; i++) slots[i] = made(made, new Slot(context, maxBatch, f, view != null));
        } catch (RuntimeException e) {
            for (int i = made.size() - 1; i >= 0; i--) closeQuietly(made.get(i));
            throw e;
        }
    }

    private static <T extends AutoCloseable> T made(List<AutoCloseable> made, T resource) {
        made.add(resource);
        return resource;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing: the first error is the one to report
        }
    }

    @Override
    public int count() {
        return samples.count();
    }

    @Override
    public int[] labels() {
        return samples.labels();
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public void setOrder(int[] permutation) {
        if (permutation != null && permutation.length != count()) {
            throw new IllegalArgumentException("order of " + permutation.length + " for " + count() + " samples");
        }
        settlePending();
        order = permutation;
    }

    /** The epoch whose augmentation draws the next batches take (a view without random ops ignores it). */
    @Override
    public void setEpoch(int epoch) {
        settlePending();
        this.epoch = epoch;
    }

    /**
     * The view's plan of the batch the last {@link #gather} wrote (image r is the batch's row r),
     * e.g. to move annotated boxes with the pixels; null without a view.
     */
    public BatchParams lastPlan() {
        return lastPlan;
    }

    @Override
    public void setStride(int rows) {
        settlePending();
        stride = rows;
    }

    /**
     * The slots: gather k waits for the device to have uploaded gather k - slots (its slot is
     * refilled), so behind a closed gate at most this many may be enqueued.
     */
    @Override
    public int gathersAheadOfDevice() {
        return slots.length;
    }

    /**
     * Slots for batches of {@code batch} samples of format {@code f}: as many as fit in
     * {@link #SLOT_BUDGET_BYTES}, {@link #MIN_SLOTS} to {@link #MAX_SLOTS}. With three, a data-parallel
     * run could not hold its devices behind a gate while it enqueues a stretch of steps (each replica
     * gathers from its own source), and enqueued beside the running devices instead: on two
     * one-thread PoCL sub-devices, LeNet-5 from a folder's cache ran 1.33-1.55x one device at batch
     * 128 with 3 slots and 1.56-1.59x with 64 (1.58-1.66x and 1.66-1.67x at 256; bench folder, alternated).
     */
    static int slotsFor(int batch, SampleFormat f, boolean viewed) {
        long bytes = (long) batch * (f.bytes() + Integer.BYTES + (viewed ? (long) BatchParams.FLOATS_PER_IMAGE * Float.BYTES : 0));
        return (int) Math.max(MIN_SLOTS, Math.min(MAX_SLOTS, SLOT_BUDGET_BYTES / Math.max(1, bytes)));
    }

    @Override
    public double dataWaitSeconds() {
        return waitNanos / 1e9;
    }

    @Override
    public void gather(int first, int valid, int batch, ClBuffer x, ClBuffer y) {
        if (batch > maxBatch) throw new IllegalArgumentException("batch " + batch + " is larger than this source's " + maxBatch);
        long t0 = System.nanoTime();
        Slot slot = slots[next];
        long deviceBound;
        if (pendingFirst == first && pendingValid == valid) {
            deviceBound = await(pending);
            pending = null;
            pendingFirst = -1;
        } else {
            settlePending();
            deviceBound = fill(slot, first, valid, epoch);
        }
        // waiting while the slot was still being uploaded is the device being behind, not data being late
        waitNanos += Math.max(0, System.nanoTime() - t0 - deviceBound);
        lastPlan = slot.params;
        int bytes = stored.size();
        slot.pixelsWritten = slot.devicePixels.buffer().writeAsync(context.queue(), slot.pixels, (long) valid * bytes);
        slot.labelsWritten = slot.deviceLabels.writeAsync(context.queue(), slot.labels, (long) valid * Integer.BYTES);
        ClBuffer rows = slot.devicePixels.buffer();
        if (augmenter != null) {
            slot.planWritten = slot.devicePlan.writeAsync(context.queue(), slot.plan, (long) valid * BatchParams.FLOATS_PER_IMAGE * Float.BYTES);
            augmenter.apply(slot.devicePixels, slot.params, slot.devicePlan, viewed);
            rows = viewed.buffer();
        }
        gather.bytes(rows, slot.deviceLabels, identity.buffer(), x, y, 0, valid, batch, shape.size(), mean, invStd);
        next = (next + 1) % slots.length;
        int after = first + (stride > 0 ? stride : valid);
        if (after < count()) {
            Slot target = slots[next];
            int nextValid = Math.min(batch, count() - after);
            int e = epoch;
            pendingFirst = after;
            pendingValid = nextValid;
            pending = prefetcher.submit(() -> fill(target, after, nextValid, e));
        }
    }

    /**
     * Copies samples order[first .. first + valid) and their labels into {@code slot}, with the
     * view's plan for them in {@code epoch}; returns the nanoseconds spent waiting for the device
     * to take the slot's previous batch.
     */
    private long fill(Slot slot, int first, int valid, int epoch) {
        long t0 = System.nanoTime();
        slot.awaitUploaded();
        long deviceBound = System.nanoTime() - t0;
        int bytes = stored.size();
        int[] labels = samples.labels();
        long[] indices = new long[valid];
        for (int r = 0; r < valid; r++) {
            int i = order == null ? first + r : order[first + r];
            samples.copy(i, slot.pixels, r * bytes);
            slot.labels.putInt(r * Integer.BYTES, labels[i]);
            indices[r] = i;
        }
        if (planner != null) {
            slot.params = planner.plan(epoch, indices, stored.height(), stored.width(), stored.channels());
            slot.plan.asFloatBuffer().put(0, slot.params.packed());
        }
        return deviceBound;
    }

    private void settlePending() {
        if (pending != null) await(pending);
        pending = null;
        pendingFirst = -1;
    }

    private static long await(Future<Long> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a prefetched batch", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("prefetching a batch failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        try {
            settlePending();
        } finally {
            prefetcher.shutdownNow();
            for (Slot s : slots) s.close();
            if (augmenter != null) augmenter.close();
            if (viewed != null) viewed.close();
            identity.close();
            gather.close();
        }
    }
}
