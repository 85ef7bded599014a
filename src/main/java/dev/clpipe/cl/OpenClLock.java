package dev.clpipe.cl;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Puts every OpenCL call of the process behind one lock while switched on. Oclgrind 21.10 is not
 * thread-safe: its memory pool segfaults when two host threads call into it at once (a buffer
 * created on one thread while another waits for an event, which in Oclgrind runs the queued
 * kernels). It is switched on when a context opens on an Oclgrind device, or for any device with
 * {@code CLPIPE_OPENCL_SERIAL=1}; off (PoCL, real GPUs) a call costs one volatile read, so devices
 * still work in parallel. Waiting calls hold the lock, so no thread may wait for a command that
 * another thread has still to enqueue (clpipe never does: every wait is for its own commands).
 */
public final class OpenClLock {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static volatile boolean on = "1".equals(System.getenv("CLPIPE_OPENCL_SERIAL"));

    private OpenClLock() {}

    /** From now on, one OpenCL call at a time in this process. */
    static void switchOn() {
        on = true;
    }

    public static boolean isOn() {
        return on;
    }

    static <T> T call(Supplier<T> openCl) {
        if (!on) return openCl.get();
        LOCK.lock();
        try {
            return openCl.get();
        } finally {
            LOCK.unlock();
        }
    }

    static void run(Runnable openCl) {
        if (!on) {
            openCl.run();
            return;
        }
        LOCK.lock();
        try {
            openCl.run();
        } finally {
            LOCK.unlock();
        }
    }
}
