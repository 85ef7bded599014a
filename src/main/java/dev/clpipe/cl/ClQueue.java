package dev.clpipe.cl;

import static org.jocl.CL.*;

import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_queue_properties;

/** An in-order command queue with profiling enabled, so kernel timings come from events. */
public final class ClQueue implements AutoCloseable {
    private final cl_command_queue queue;
    private final KernelTimings timings = new KernelTimings();
    private boolean released;

    ClQueue(cl_context context, cl_device_id device) {
        cl_queue_properties properties = new cl_queue_properties();
        properties.addProperty(CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE);
        this.queue = OpenClLock.call(() -> clCreateCommandQueueWithProperties(context, device, properties, null));
    }

    public cl_command_queue handle() {
        return queue;
    }

    /** Per-kernel profiling; off unless {@link KernelTimings#enable()} is called. */
    public KernelTimings timings() {
        return timings;
    }

    /** Waits until every command enqueued so far has completed. */
    public void finish() {
        OpenClLock.run(() -> clFinish(queue));
        timings.collect();
    }

    /**
     * Enqueues a marker: its event completes when every command enqueued before it has, and its
     * profiling end time says when, on the device's clock (used to time a run of commands on the
     * device alone, without the host's wake-up).
     */
    public ClEvent marker() {
        cl_event event = new cl_event();
        OpenClLock.run(() -> clEnqueueMarkerWithWaitList(queue, 0, null, event));
        return new ClEvent(event);
    }

    /**
     * Enqueues a barrier: later commands on this queue start only when {@code events} (of this or
     * another queue of the same context) have completed. Does not wait.
     */
    public void barrier(ClEvent... events) {
        if (events.length == 0) return;
        cl_event[] handles = new cl_event[events.length];
        for (int i = 0; i < events.length; i++) handles[i] = events[i].handle();
        OpenClLock.run(() -> clEnqueueBarrierWithWaitList(queue, handles.length, handles, null));
    }

    /**
     * Enqueues a barrier on {@code events} (none: on everything before it) and returns its event,
     * which completes when they and every command before it have, and whose end time says when on
     * the device's clock: one command where {@link #barrier} and {@link #marker} were two (a
     * data-parallel step enqueues these per device, and every command costs the host and the device).
     */
    public ClEvent barrierMarker(ClEvent... events) {
        cl_event[] handles = new cl_event[events.length];
        for (int i = 0; i < events.length; i++) handles[i] = events[i].handle();
        cl_event event = new cl_event();
        OpenClLock.run(() -> clEnqueueBarrierWithWaitList(queue, handles.length, handles.length > 0 ? handles : null, event));
        return new ClEvent(event);
    }

    /** Submits enqueued commands without waiting. */
    public void flush() {
        OpenClLock.run(() -> clFlush(queue));
    }

    @Override
    public void close() {
        if (!released) {
            released = true;
            OpenClLock.run(() -> clFinish(queue));
            timings.collect();
            OpenClLock.run(() -> clReleaseCommandQueue(queue));
        }
    }
}
