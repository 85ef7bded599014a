package dev.clpipe.detect.train;

import dev.clpipe.augment.BatchParams;
import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.detect.Annotation;
import dev.clpipe.detect.YoloEncoder;
import dev.clpipe.nn.BatchSource;
import dev.clpipe.nn.CachedBatchSource;
import dev.clpipe.nn.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * An annotated folder's cached samples as detector training batches: the pixels come from a
 * {@link CachedBatchSource} (prefetched, through its augmentation when it has one), and the
 * batch's YOLO targets are encoded on the host from each sample's frame boxes, moved with the
 * pixels by the batch's augmentation plan ({@link BoxesThroughView}), and uploaded into the
 * target buffer.
 */
public final class CachedDetections implements BatchSource {
    private final ClContext context;
    private final AnnotatedSamples data;
    private final CachedBatchSource pixels;
    private final YoloEncoder encoder;
    private final int block;
    private final ClBuffer unusedLabels;
    private final float[] hostTarget;
    private int[] order;

    /** {@code pixels} (owned from now on: closed with this source) yields batches of up to {@code batch} of {@code data}'s samples. */
    public CachedDetections(ClContext context, AnnotatedSamples data, CachedBatchSource pixels, YoloEncoder encoder, int block, int batch) {
        if (pixels.count() != data.count()) throw new IllegalArgumentException(pixels.count() + " cached samples for " + data.count() + " annotated ones");
        this.context = context;
        this.data = data;
        this.pixels = pixels;
        this.encoder = encoder;
        this.block = block;
        this.unusedLabels = context.buffer((long) batch * Integer.BYTES);
        this.hostTarget = new float[batch * block];
    }

    @Override
    public int count() {
        return data.count();
    }

    @Override
    public int[] labels() {
        return pixels.labels();
    }

    @Override
    public Shape shape() {
        return pixels.shape();
    }

    @Override
    public void setOrder(int[] permutation) {
        order = permutation;
        pixels.setOrder(permutation);
    }

    @Override
    public void setEpoch(int epoch) {
        pixels.setEpoch(epoch);
    }

    @Override
    public double dataWaitSeconds() {
        return pixels.dataWaitSeconds();
    }

    /** The boxes of batch row {@code r} (sample {@code sample}) as the network sees them. */
    List<Annotation> objects(int sample, BatchParams plan, int r) {
        List<Annotation> frame = data.frameObjects().get(sample);
        return plan == null ? frame : BoxesThroughView.move(frame, plan.sourceAffine(r), shape().width(), shape().height());
    }

    @Override
    public void gather(int first, int valid, int batch, ClBuffer x, ClBuffer y) {
        pixels.gather(first, valid, batch, x, unusedLabels);
        BatchParams plan = pixels.lastPlan();
        for (int r = 0; r < valid; r++) {
            int sample = order == null ? first + r : order[first + r];
            float[] t = encoder.encode(objects(sample, plan, r), shape().width(), shape().height()).values();
            System.arraycopy(t, 0, hostTarget, r * block, block);
        }
        Arrays.fill(hostTarget, valid * block, batch * block, 0f);
        y.write(context.queue(), hostTarget);
    }

    @Override
    public void close() {
        try {
            pixels.close();
        } finally {
            unusedLabels.close();
        }
    }
}
