package dev.clpipe.augment;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClQueue;

/** An {@link ImageBatch}'s layout held in a device buffer; owns and releases the buffer. */
public final class DeviceBatch implements AutoCloseable {
    private final ClBuffer buffer;
    private final int count, height, width, channels;

    private DeviceBatch(ClBuffer buffer, int count, int height, int width, int channels) {
        this.buffer = buffer;
        this.count = count;
        this.height = height;
        this.width = width;
        this.channels = channels;
    }

    public static DeviceBatch allocate(ClContext context, int count, int height, int width, int channels) {
        long bytes = (long) count * height * width * channels;
        return new DeviceBatch(context.buffer(bytes), count, height, width, channels);
    }

    /** A device copy of {@code batch} (blocking upload). */
    public static DeviceBatch upload(ClContext context, ImageBatch batch) {
        DeviceBatch device = allocate(context, batch.count(), batch.height(), batch.width(), batch.channels());
        device.write(context.queue(), batch);
        return device;
    }

    /** Blocking upload of a batch of exactly this shape into this buffer (reuse across batches). */
    public void write(ClQueue queue, ImageBatch batch) {
        if (batch.count() != count || batch.height() != height || batch.width() != width || batch.channels() != channels) {
            throw new IllegalArgumentException("batch " + shape(batch.count(), batch.height(), batch.width(), batch.channels())
                    + " does not match device batch " + shape(count, height, width, channels));
        }
        buffer.write(queue, batch.pixels());
    }

    /** Blocking download to a new host batch. */
    public ImageBatch download(ClQueue queue) {
        ImageBatch out = ImageBatch.allocate(count, height, width, channels);
        buffer.read(queue, out.pixels());
        return out;
    }

    public ClBuffer buffer() {
        return buffer;
    }

    public int count() {
        return count;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    private static String shape(int n, int h, int w, int c) {
        return n + "x" + h + "x" + w + "x" + c;
    }

    @Override
    public void close() {
        buffer.close();
    }
}
