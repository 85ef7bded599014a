package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.GatherBatch;

/**
 * Precomputed features (the output of frozen layers, one float row per sample) kept on the
 * device, batched by the {@code gather_rows} kernel: a classifier head trains on them as it would
 * on images, without running the frozen layers again.
 */
public final class DeviceFeatures implements BatchSource {
    private final Features features;
    private final GatherBatch gather;
    private final ClBuffer rows;
    private final ClBuffer labels;
    private final DeviceOrder order;

    public DeviceFeatures(ClContext context, Features features) {
        this.features = features;
        this.gather = new GatherBatch(context);
        this.rows = context.buffer((long) features.values().length * Float.BYTES);
        rows.write(context.queue(), features.values());
        this.labels = context.buffer((long) features.count() * Integer.BYTES);
        labels.write(context.queue(), features.labels());
        this.order = new DeviceOrder(context, features.count());
    }

    @Override
    public int count() {
        return features.count();
    }

    @Override
    public int[] labels() {
        return features.labels();
    }

    @Override
    public Shape shape() {
        return features.shape();
    }

    @Override
    public void setOrder(int[] permutation) {
        order.set(permutation);
    }

    @Override
    public void gather(int first, int valid, int batch, ClBuffer x, ClBuffer y) {
        gather.floats(rows, labels, order.buffer(), x, y, first, valid, batch, features.shape().size());
    }

    @Override
    public void close() {
        gather.close();
        rows.close();
        labels.close();
        order.close();
    }
}
