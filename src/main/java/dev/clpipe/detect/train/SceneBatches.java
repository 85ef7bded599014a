package dev.clpipe.detect.train;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.BatchSource;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.Shape;
import java.util.Arrays;

/**
 * Generated scenes as training batches: the frames are gathered on the device
 * ({@link DeviceDataset}), the encoded YOLO targets of the same scenes (scene i's block at
 * {@code i * block}, kept on the host) are uploaded into the target buffer.
 */
final class SceneBatches implements BatchSource {
    private final ClContext context;
    private final DeviceDataset frames;
    private final float[] targets;
    private final int block;
    private final ClBuffer unusedLabels;
    private final float[] hostTarget;
    private int[] order;

    /** Batches of up to {@code batch} scenes; {@code frames} stays the caller's (not closed here). */
    SceneBatches(ClContext context, DeviceDataset frames, float[] targets, int block, int batch) {
        if (targets.length != (long) frames.count() * block) {
            throw new IllegalArgumentException(targets.length + " target values for " + frames.count() + " scenes of " + block);
        }
        this.context = context;
        this.frames = frames;
        this.targets = targets;
        this.block = block;
        this.unusedLabels = context.buffer((long) batch * Integer.BYTES);
        this.hostTarget = new float[batch * block];
    }

    @Override
    public int count() {
        return frames.count();
    }

    @Override
    public int[] labels() {
        return frames.labels();
    }

    @Override
    public Shape shape() {
        return frames.shape();
    }

    @Override
    public void setOrder(int[] permutation) {
        order = permutation;
        frames.setOrder(permutation);
    }

    /** Frames into {@code x}; the scenes' target blocks (zero for padding rows) into {@code y}. */
    @Override
    public void gather(int first, int valid, int batch, ClBuffer x, ClBuffer y) {
        frames.gather(first, valid, batch, x, unusedLabels);
        for (int r = 0; r < valid; r++) {
            int scene = order == null ? first + r : order[first + r];
            System.arraycopy(targets, scene * block, hostTarget, r * block, block);
        }
        Arrays.fill(hostTarget, valid * block, batch * block, 0f);
        y.write(context.queue(), hostTarget);
    }

    @Override
    public void close() {
        unusedLabels.close();
    }
}
