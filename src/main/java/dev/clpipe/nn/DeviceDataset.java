package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.GatherBatch;

/**
 * A {@link Dataset} uploaded to the device once (bytes and labels), so a batch is assembled by a
 * gather kernel from an index order: no per-step host work or transfer, and the device never
 * waits for data. Normalisation (x / 255 - mean) / std happens in the same kernel.
 */
public final class DeviceDataset implements BatchSource {
    private final Dataset data;
    private final GatherBatch gather;
    private final ClBuffer images;
    private final ClBuffer labels;
    private final DeviceOrder order;
    private final float mean;
    private final float std;

    public DeviceDataset(ClContext context, Dataset data, float mean, float std) {
        if (!(std > 0)) throw new IllegalArgumentException("normalisation std must be > 0, got " + std);
        this.data = data;
        this.gather = new GatherBatch(context);
        this.images = context.buffer(Math.max(4, data.images().length));
        images.write(context.queue(), data.images());
        this.labels = context.buffer((long) data.count() * Integer.BYTES);
        labels.write(context.queue(), data.labels());
        this.order = new DeviceOrder(context, data.count());
        this.mean = mean;
        this.std = std;
    }

    public Dataset data() {
        return data;
    }

    @Override
    public int count() {
        return data.count();
    }

    @Override
    public int[] labels() {
        return data.labels();
    }

    @Override
    public Shape shape() {
        return data.shape();
    }

    /** Sets the visiting order (a permutation of [0, count)); null means 0, 1, 2, ... */
    @Override
    public void setOrder(int[] permutation) {
        order.set(permutation);
    }

    /**
     * Writes images order[first .. first + valid) into x (NHWC, normalised) and their labels into
     * y; rows from {@code valid} to {@code batch} are zero with label -1 (ignored by the stats).
     */
    @Override
    public void gather(int first, int valid, int batch, ClBuffer x, ClBuffer y) {
        gather.bytes(images, labels, order.buffer(), x, y, first, valid, batch, data.shape().size(), mean, 1f / std);
    }

    @Override
    public void close() {
        gather.close();
        images.close();
        labels.close();
        order.close();
    }
}
