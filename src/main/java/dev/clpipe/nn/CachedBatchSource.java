package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClEvent;
import dev.clpipe.data.CachedSamples;
import dev.clpipe.data.SampleFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Batches streamed from a decoded-sample cache ({@link CachedSamples}) instead of a dataset held
 * on the device: a prefetch thread copies the next batch's samples, in the visiting order, out of
 * the mapped shards into one of a few direct host slots while the device computes the current
 * step; {@link #gather} uploads the slot without blocking and normalises it with the same
 * {@code gather_batch} kernel as {@link DeviceDataset}. The time {@link #gather} waits for a slot
 * beyond waiting for the device to take an earlier slot is the data wait ({@link #dataWaitSeconds}).
 * Only a few batches are ever in memory.
 */
public final class CachedBatchSource implements BatchSource {
    private static final int SLOTS = 3;

    private final ClContext context;
    private final CachedSamples samples;
    private final DeviceKernels kernels;
    private final Shape shape;
    private final int maxBatch;
    private final float mean;
    private final float invStd;
    private final Slot[] slots = new Slot[SLOTS];
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

    /** One host slot and its device copy. */
    private static final class Slot implements AutoCloseable {
        final ByteBuffer pixels;
        final ByteBuffer labels;
        final ClBuffer devicePixels;
        final ClBuffer deviceLabels;
        ClEvent pixelsWritten;
        ClEvent labelsWritten;

        Slot(ClContext context, int batch, int sampleBytes) {
            pixels = ByteBuffer.allocateDirect(batch * sampleBytes);
            labels = ByteBuffer.allocateDirect(batch * Integer.BYTES).order(ByteOrder.nativeOrder());
            devicePixels = context.buffer((long) batch * sampleBytes);
            deviceLabels = context.buffer((long) batch * Integer.BYTES);
        }

        /** Waits until the device has copied this slot's last contents, so they may be overwritten. */
        void awaitUploaded() {
            for (ClEvent e : new ClEvent[] {pixelsWritten, labelsWritten}) {
                if (e != null) {
                    e.waitFor();
                    e.close();
                }
            }
            pixelsWritten = labelsWritten = null;
        }

        @Override
        public void close() {
            awaitUploaded();
            devicePixels.close();
            deviceLabels.close();
        }
    }

    public CachedBatchSource(ClContext context, CachedSamples samples, int maxBatch, float mean, float std) {
        if (!(std > 0)) throw new IllegalArgumentException("normalisation std must be > 0, got " + std);
        if (samples.count() == 0) throw new IllegalArgumentException("no decodable images in the sample cache " + samples.report().folder());
        SampleFormat f = samples.format();
        this.context = context;
        this.samples = samples;
        this.shape = new Shape(f.height(), f.width(), f.channels());
        this.maxBatch = maxBatch;
        this.mean = mean;
        this.invStd = 1f / std;
        this.kernels = new DeviceKernels(context, "dataset.cl");
        this.identity = new DeviceOrder(context, maxBatch);
        for (int i = 0; i < SLOTS; i++) slots[i] = new Slot(context, maxBatch, f.bytes());
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
            deviceBound = fill(slot, first, valid);
        }
        // waiting while the slot was still being uploaded is the device being behind, not data being late
        waitNanos += Math.max(0, System.nanoTime() - t0 - deviceBound);
        int bytes = shape.size();
        slot.pixelsWritten = slot.devicePixels.writeAsync(context.queue(), slot.pixels, (long) valid * bytes);
        slot.labelsWritten = slot.deviceLabels.writeAsync(context.queue(), slot.labels, (long) valid * Integer.BYTES);
        int total = batch * bytes;
        kernels.launch(kernels.kernel("gather_batch").arg(0, slot.devicePixels).arg(1, slot.deviceLabels).arg(2, identity.buffer()).arg(3, x)
                .arg(4, y).arg(5, 0).arg(6, valid).arg(7, bytes).arg(8, mean).arg(9, invStd).arg(10, total), total);
        next = (next + 1) % SLOTS;
        int after = first + valid;
        if (after < count()) {
            Slot target = slots[next];
            int nextValid = Math.min(batch, count() - after);
            pendingFirst = after;
            pendingValid = nextValid;
            pending = prefetcher.submit(() -> fill(target, after, nextValid));
        }
    }

    /**
     * Copies samples order[first .. first + valid) and their labels into {@code slot}; returns the
     * nanoseconds spent waiting for the device to take the slot's previous batch.
     */
    private long fill(Slot slot, int first, int valid) {
        long t0 = System.nanoTime();
        slot.awaitUploaded();
        long deviceBound = System.nanoTime() - t0;
        int bytes = shape.size();
        int[] labels = samples.labels();
        for (int r = 0; r < valid; r++) {
            int i = order == null ? first + r : order[first + r];
            samples.copy(i, slot.pixels, r * bytes);
            slot.labels.putInt(r * Integer.BYTES, labels[i]);
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
            identity.close();
            kernels.close();
        }
    }
}
