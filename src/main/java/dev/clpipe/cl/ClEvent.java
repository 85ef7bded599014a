package dev.clpipe.cl;

import static org.jocl.CL.*;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/** A completed-or-pending command; gives its device-side duration from profiling info. */
public final class ClEvent implements AutoCloseable {
    private final cl_event event;
    private boolean released;

    ClEvent(cl_event event) {
        this.event = event;
    }

    cl_event handle() {
        return event;
    }

    /** A second handle on this event, released on its own (one owner times it, the other waits for it). */
    ClEvent retained() {
        OpenClLock.run(() -> clRetainEvent(event));
        return new ClEvent(event);
    }

    public void waitFor() {
        OpenClLock.run(() -> clWaitForEvents(1, new cl_event[] {event}));
    }

    /** Device time between start and end of the command, in nanoseconds; waits for completion. */
    public long nanos() {
        waitFor();
        return profile(CL_PROFILING_COMMAND_END) - profile(CL_PROFILING_COMMAND_START);
    }

    /** When the command ended, in nanoseconds of the device's profiling clock; waits for completion. */
    public long endNanos() {
        waitFor();
        return profile(CL_PROFILING_COMMAND_END);
    }

    private long profile(int param) {
        long[] value = new long[1];
        OpenClLock.run(() -> clGetEventProfilingInfo(event, param, Sizeof.cl_ulong, Pointer.to(value), null));
        return value[0];
    }

    @Override
    public void close() {
        if (!released) {
            released = true;
            OpenClLock.run(() -> clReleaseEvent(event));
        }
    }
}
