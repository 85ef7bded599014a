package dev.clpipe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * How much of its cores the machine gives this process at one moment: a fixed integer loop on one
 * thread, then the same loop on n threads at once. On a shared or virtual machine that changes
 * from second to second (seen on the 2-core development machine: two loops at once each ran at
 * half the speed of one, for seconds at a time, then both at full speed again), and n devices of
 * one core each can scale no better than the machine does in the same seconds. So a reading taken
 * beside each timed measurement tells a quiet moment from a shared one: the anchor of a speed-up.
 */
final class CoreProbe {
    /** Loop turns per thread: about 65 ms on this machine's core, several of the hypervisor's time slices, short next to the measurements it brackets. */
    private static final long TURNS = 32_000_000;
    /** Keeps the loops' results alive, so the JIT cannot drop them. */
    private static volatile long sink;

    /**
     * One reading: a single thread's loop turns per second ({@code singleRate}), and n threads' turns
     * per second together over it ({@code scaling}: n on a machine that gives the process n cores).
     */
    record Reading(double singleRate, double scaling) {}

    private final int threads;

    /** A probe of {@code threads} threads at once; runs the loop a few times first so the readings time compiled code. */
    CoreProbe(int threads) {
        if (threads < 1) throw new IllegalArgumentException("a probe needs at least one thread, not " + threads);
        this.threads = threads;
        for (int i = 0; i < 3; i++) turnsPerSecond(1);
    }

    /** Reads the machine now (the single thread first, then all threads at once). */
    Reading read() {
        double one = turnsPerSecond(1);
        double all = threads == 1 ? one : turnsPerSecond(threads);
        return new Reading(one, all / one);
    }

    /** Turns per second of {@code n} threads running the loop at once, from the common start to the last finish. */
    private static double turnsPerSecond(int n) {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long seed = 0x9E3779B97F4A7C15L + i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                sink += spin(TURNS, seed);
            }, "core-probe-" + i);
            t.setDaemon(true);
            t.start();
            running.add(t);
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : running) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while probing the cores", e);
            }
        }
        return n * (double) TURNS / ((System.nanoTime() - t0) / 1e9);
    }

    /** A dependent chain of shifts and xors (xorshift64): pure core time, no memory traffic. */
    private static long spin(long turns, long x) {
        for (long i = 0; i < turns; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }
}
