package dev.clpipe.cl;

import static org.jocl.CL.*;

import org.jocl.cl_context;

/**
 * A user event that holds back the commands enqueued behind it, on any queue of its context, until
 * {@link #open}: the host can enqueue a stretch of work for several devices and then let them all
 * start at once, without its own enqueueing running beside them. Closing opens it first, so no
 * command is left waiting for ever.
 */
public final class ClGate implements AutoCloseable {
    private final ClEvent event;
    private boolean open;

    ClGate(cl_context context) {
        this.event = new ClEvent(OpenClLock.call(() -> clCreateUserEvent(context, null)));
    }

    /** Later commands of {@code queue} wait until the gate opens; nothing may wait for them before it does (a deadlock). */
    public void hold(ClQueue queue) {
        queue.barrier(event);
    }

    /** Lets the held commands run; again is a no-op. */
    public void open() {
        if (open) return;
        open = true;
        OpenClLock.run(() -> clSetUserEventStatus(event.handle(), CL_COMPLETE));
    }

    @Override
    public void close() {
        try {
            open();
        } finally {
            event.close();
        }
    }
}
