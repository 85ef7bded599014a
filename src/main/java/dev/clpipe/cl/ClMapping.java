package dev.clpipe.cl;

import static org.jocl.CL.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A buffer mapped into host memory for reading and writing: on a CPU device (PoCL) the view is
 * the device memory itself, so host code sums or overwrites it with no copy either way. Kernels
 * must not touch the buffer until {@link #close()} (an enqueued unmap) has been called.
 */
public final class ClMapping implements AutoCloseable {
    private final ClQueue queue;
    private final ClBuffer buffer;
    private final ByteBuffer bytes;
    private final FloatBuffer floats;
    private boolean unmapped;

    /**
     * {@code blocking}: wait for the commands enqueued before the map (the queue is in order);
     * otherwise the view may be read only after the queue has been finished.
     */
    ClMapping(ClQueue queue, ClBuffer buffer, boolean blocking) {
        this.queue = queue;
        this.buffer = buffer;
        this.bytes = OpenClLock.call(() -> clEnqueueMapBuffer(queue.handle(), buffer.mem(), blocking, CL_MAP_READ | CL_MAP_WRITE, 0,
                buffer.bytes(), 0, null, null, null)).order(ByteOrder.nativeOrder());
        this.floats = bytes.asFloatBuffer();
    }

    /** The mapped floats (absolute get/put only: the view is shared by the threads that reduce it). */
    public FloatBuffer floats() {
        if (unmapped) throw new IllegalStateException("mapping used after unmap");
        return floats;
    }

    /** Enqueues the unmap; later kernels on the queue see what the host wrote. */
    @Override
    public void close() {
        if (!unmapped) {
            unmapped = true;
            OpenClLock.run(() -> clEnqueueUnmapMemObject(queue.handle(), buffer.mem(), bytes, 0, null, null));
        }
    }
}
