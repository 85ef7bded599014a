package dev.clpipe.cl;

import static org.jocl.CL.*;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_buffer_region;
import org.jocl.cl_mem;

/** A device buffer of a fixed byte size; released by {@link #close()}. */
public final class ClBuffer implements AutoCloseable {
    private final cl_mem mem;
    private final long bytes;
    private boolean released;

    ClBuffer(cl_mem mem, long bytes) {
        this.mem = mem;
        this.bytes = bytes;
    }

    public long bytes() {
        return bytes;
    }

    /** Number of floats this buffer holds. */
    public long floats() {
        return bytes / Sizeof.cl_float;
    }

    public cl_mem mem() {
        if (released) throw new IllegalStateException("buffer used after close");
        return mem;
    }

    public void write(ClQueue queue, float[] data) {
        write(queue, data, 0, data.length);
    }

    /** Blocking copy of {@code count} floats from {@code data[from..]} to the start of this buffer. */
    public void write(ClQueue queue, float[] data, int from, int count) {
        checkFits((long) count * Sizeof.cl_float);
        OpenClLock.run(() -> clEnqueueWriteBuffer(queue.handle(), mem(), CL_TRUE, 0, (long) count * Sizeof.cl_float,
                Pointer.to(data).withByteOffset((long) from * Sizeof.cl_float), 0, null, null));
    }

    public void write(ClQueue queue, int[] data) {
        checkFits((long) data.length * Sizeof.cl_int);
        OpenClLock.run(() -> clEnqueueWriteBuffer(queue.handle(), mem(), CL_TRUE, 0, (long) data.length * Sizeof.cl_int,
                Pointer.to(data), 0, null, null));
    }

    public void write(ClQueue queue, byte[] data) {
        checkFits(data.length);
        OpenClLock.run(() -> clEnqueueWriteBuffer(queue.handle(), mem(), CL_TRUE, 0, data.length, Pointer.to(data), 0, null, null));
    }

    /**
     * Non-blocking copy of the first {@code count} bytes of a direct buffer to the start of this
     * buffer, in queue order; {@code data} must stay unchanged until the returned event completes.
     */
    public ClEvent writeAsync(ClQueue queue, java.nio.ByteBuffer data, long count) {
        if (!data.isDirect()) throw new IllegalArgumentException("an asynchronous write needs a direct buffer");
        checkFits(count);
        org.jocl.cl_event event = new org.jocl.cl_event();
        OpenClLock.run(() -> clEnqueueWriteBuffer(queue.handle(), mem(), CL_FALSE, 0, count, Pointer.to(data), 0, null, event));
        return new ClEvent(event);
    }

    public void read(ClQueue queue, float[] into) {
        checkFits((long) into.length * Sizeof.cl_float);
        OpenClLock.run(() -> clEnqueueReadBuffer(queue.handle(), mem(), CL_TRUE, 0, (long) into.length * Sizeof.cl_float,
                Pointer.to(into), 0, null, null));
    }

    public void read(ClQueue queue, int[] into) {
        checkFits((long) into.length * Sizeof.cl_int);
        OpenClLock.run(() -> clEnqueueReadBuffer(queue.handle(), mem(), CL_TRUE, 0, (long) into.length * Sizeof.cl_int,
                Pointer.to(into), 0, null, null));
    }

    public void read(ClQueue queue, byte[] into) {
        checkFits(into.length);
        OpenClLock.run(() -> clEnqueueReadBuffer(queue.handle(), mem(), CL_TRUE, 0, into.length, Pointer.to(into), 0, null, null));
    }

    public float[] readFloats(ClQueue queue) {
        float[] out = new float[Math.toIntExact(floats())];
        read(queue, out);
        return out;
    }

    /** Maps the whole buffer into host memory (blocking); see {@link ClMapping}. */
    public ClMapping map(ClQueue queue) {
        return new ClMapping(queue, this, true);
    }

    /**
     * Enqueues a map of the whole buffer without waiting: several maps and one
     * {@link ClQueue#finish()} cost one round trip to the device instead of one each.
     */
    public ClMapping mapLater(ClQueue queue) {
        return new ClMapping(queue, this, false);
    }

    /** Sets every float to {@code value} (asynchronous, in queue order). */
    public void fill(ClQueue queue, float value) {
        OpenClLock.run(() -> clEnqueueFillBuffer(queue.handle(), mem(), Pointer.to(new float[] {value}), Sizeof.cl_float, 0, bytes, 0, null, null));
    }

    /** Asynchronous device-side copy of all of {@code source} into the start of this buffer. */
    public void copyFrom(ClQueue queue, ClBuffer source) {
        copyFrom(queue, source, source.bytes);
    }

    /** Asynchronous device-side copy of the first {@code count} bytes of {@code source} into the start of this buffer. */
    public void copyFrom(ClQueue queue, ClBuffer source, long count) {
        checkFits(count);
        source.checkFits(count);
        OpenClLock.run(() -> clEnqueueCopyBuffer(queue.handle(), source.mem(), mem(), 0, 0, count, 0, null, null));
    }

    private void checkFits(long count) {
        if (count > bytes) {
            throw new IllegalArgumentException("transfer of " + count + " bytes does not fit a buffer of " + bytes);
        }
    }

    /**
     * A sub-buffer of {@code bytes} starting {@code offset} bytes into this one: kernels see it as a
     * buffer of its own, its data is this buffer's. {@code offset} must be a multiple of the
     * device's base address alignment ({@link ClContext#baseAlignBytes}). Close it before this one.
     */
    public ClBuffer slice(long offset, long bytes) {
        if (offset < 0 || bytes <= 0 || offset + bytes > this.bytes) {
            throw new IllegalArgumentException("slice [" + offset + ", " + (offset + bytes) + ") of a buffer of " + this.bytes + " bytes");
        }
        cl_buffer_region region = new cl_buffer_region(offset, bytes);
        cl_mem sub = OpenClLock.call(() -> clCreateSubBuffer(mem(), CL_MEM_READ_WRITE, CL_BUFFER_CREATE_TYPE_REGION, region, null));
        return new ClBuffer(sub, bytes);
    }

    @Override
    public void close() {
        if (!released) {
            released = true;
            OpenClLock.run(() -> clReleaseMemObject(mem));
        }
    }
}
