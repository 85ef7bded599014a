package dev.clpipe.cl;

import static org.jocl.CL.*;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;
import org.jocl.cl_kernel;

/**
 * One kernel object with its arguments. Not thread-safe (arguments are state): each op instance
 * holds its own kernels. Arguments are set fluently, then {@link #launch} enqueues without waiting.
 */
public final class ClKernel implements AutoCloseable {
    private final cl_kernel kernel;
    private final String name;
    /**
     * The value each argument was last set to, to skip setting it again. Buffers are kept by
     * identity of their {@link ClBuffer}, never by cl_mem value: a buffer allocated after another
     * was released can get the same handle, and a driver may have resolved the old one when the
     * argument was set (Oclgrind does: it read through the stale address).
     */
    private Object[] args = new Object[16];
    private boolean released;

    ClKernel(cl_kernel kernel, String name) {
        this.kernel = kernel;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public ClKernel arg(int index, ClBuffer buffer) {
        if (unchanged(index, buffer)) return this;
        OpenClLock.run(() -> clSetKernelArg(kernel, index, Sizeof.cl_mem, Pointer.to(buffer.mem())));
        return this;
    }

    public ClKernel arg(int index, int value) {
        if (unchanged(index, value)) return this;
        OpenClLock.run(() -> clSetKernelArg(kernel, index, Sizeof.cl_int, Pointer.to(new int[] {value})));
        return this;
    }

    public ClKernel arg(int index, float value) {
        if (unchanged(index, value)) return this;
        OpenClLock.run(() -> clSetKernelArg(kernel, index, Sizeof.cl_float, Pointer.to(new float[] {value})));
        return this;
    }

    public ClKernel arg(int index, long value) {
        if (unchanged(index, value)) return this;
        OpenClLock.run(() -> clSetKernelArg(kernel, index, Sizeof.cl_long, Pointer.to(new long[] {value})));
        return this;
    }

    /** A {@code double} argument (devices with {@code cl_khr_fp64} only). */
    public ClKernel arg(int index, double value) {
        if (unchanged(index, value)) return this;
        OpenClLock.run(() -> clSetKernelArg(kernel, index, Sizeof.cl_double, Pointer.to(new double[] {value})));
        return this;
    }

    /** A {@code __local} argument of the given size in bytes. */
    public ClKernel localArg(int index, long bytes) {
        if (unchanged(index, new LocalBytes(bytes))) return this;
        OpenClLock.run(() -> clSetKernelArg(kernel, index, bytes, null));
        return this;
    }

    /**
     * True when argument {@code index} already holds {@code value} (OpenCL keeps arguments across
     * launches); else remembers it. Most arguments are the same every step, and each set is a JNI
     * call and a driver call on the host thread that feeds every device of a data-parallel step.
     * Values compare by type and bits (a float 1 is not an int 1; NaN equals NaN), buffers by identity.
     */
    private boolean unchanged(int index, Object value) {
        if (index >= args.length) args = java.util.Arrays.copyOf(args, Math.max(index + 1, 2 * args.length));
        if (value.equals(args[index])) return true;
        args[index] = value;
        return false;
    }

    /** A {@code __local} argument's size, kept apart from a {@code long} value argument. */
    private record LocalBytes(long bytes) {}

    /** Enqueues over {@code global} work-items; {@code local} may be null to let the driver choose. */
    public void launch(ClQueue queue, long[] global, long[] local) {
        if (queue.timings().enabled()) {
            queue.timings().record(name, launchTimed(queue, global, local));
        } else {
            OpenClLock.run(() -> clEnqueueNDRangeKernel(queue.handle(), kernel, global.length, null, global, local, 0, null, null));
        }
    }

    /**
     * Enqueues behind {@code after} (events of any queue of the context, besides the commands before
     * it on this queue) and returns its event: a kernel that waits for other devices and marks its own
     * end without a barrier and a marker of its own.
     */
    public ClEvent launchAfter(ClQueue queue, long[] global, long[] local, ClEvent... after) {
        cl_event[] handles = new cl_event[after.length];
        for (int i = 0; i < after.length; i++) handles[i] = after[i].handle();
        cl_event event = new cl_event();
        OpenClLock.run(() -> clEnqueueNDRangeKernel(queue.handle(), kernel, global.length, null, global, local,
                handles.length, handles.length > 0 ? handles : null, event));
        ClEvent done = new ClEvent(event);
        if (queue.timings().enabled()) queue.timings().record(name, done.retained());
        return done;
    }

    /** Enqueues and returns the event, for callers that time this one launch. */
    public ClEvent launchTimed(ClQueue queue, long[] global, long[] local) {
        cl_event event = new cl_event();
        OpenClLock.run(() -> clEnqueueNDRangeKernel(queue.handle(), kernel, global.length, null, global, local, 0, null, event));
        return new ClEvent(event);
    }

    @Override
    public void close() {
        if (!released) {
            released = true;
            OpenClLock.run(() -> clReleaseKernel(kernel));
        }
    }
}
