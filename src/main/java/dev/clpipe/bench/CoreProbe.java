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
 * A second loop streams arrays far larger than the caches, for the memory's share: on that machine
 * two such loops at once ran no faster than one (1.0x), so work bound by memory cannot scale there.
 */
final class CoreProbe {
    /** Loop turns per thread: about 65 ms on this machine's core, several of the hypervisor's time slices, short next to the measurements it brackets. */
    private static final long TURNS = 32_000_000;
    /** Floats per streamed array: 16 MB, past the last-level cache's share of one core. */
    private static final int STREAM_FLOATS = 4 << 20;
    /** Passes over each thread's arrays per memory measurement (about 30 ms at 10 GB/s). */
    private static final int STREAM_PASSES = 3;
    /** Keeps the loops' results alive, so the JIT cannot drop them. */
    private static volatile long sink;

    /**
     * One reading: a single thread's runs of the core loop per second ({@code singleRate}), n
     * threads' runs per second together over it ({@code scaling}: n on a machine that gives the
     * process n cores), and the same ratio for the streaming loop ({@code memoryScaling}).
     */
    record Reading(double singleRate, double scaling, double memoryScaling) {}

    private final int threads;
    /** Each thread's two arrays for the streaming loop, allocated once. */
    private final float[][] streams;

    /** A probe of {@code threads} threads at once; runs the loops a few times first so the readings time compiled code. */
    CoreProbe(int threads) {
        if (threads < 1) throw new IllegalArgumentException("a probe needs at least one thread, not " + threads);
        this.threads = threads;
        this.streams = new float[2 * threads][STREAM_FLOATS];
        for (int i = 0; i < 3; i++) {
            perSecond(1, t -> spin(TURNS, t));
            perSecond(1, this::stream);
        }
    }

    /** Reads the machine now (the single thread first, then all threads at once; the core loop, then the streaming one). */
    Reading read() {
        double one = perSecond(1, t -> spin(TURNS, t));
        double all = threads == 1 ? one : perSecond(threads, t -> spin(TURNS, t));
        double memoryOne = perSecond(1, this::stream);
        double memoryAll = threads == 1 ? memoryOne : perSecond(threads, this::stream);
        return new Reading(one, all / one, memoryAll / memoryOne);
    }

    /** Thread {@code t}'s streaming passes over its own arrays: {@code a = a * k + b}, memory-bound. */
    private long stream(int t) {
        float[] a = streams[2 * t], b = streams[2 * t + 1];
        for (int pass = 0; pass < STREAM_PASSES; pass++) {
            for (int i = 0; i < a.length; i++) a[i] = a[i] * 0.5f + b[i];
        }
        return Float.floatToRawIntBits(a[t]);
    }

    /**
     * Units of {@code work} per second of {@code n} threads running it at once (thread t runs
     * {@code work(t)} once), from the common start to the last finish.
     */
    private static double perSecond(int n, java.util.function.IntToLongFunction work) {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                sink += work.applyAsLong(index);
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
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** A dependent chain of shifts and xors (xorshift64) from thread {@code t}'s seed: pure core time, no memory traffic. */
    private static long spin(long turns, int t) {
        long x = 0x9E3779B97F4A7C15L + t;
        for (long i = 0; i < turns; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }
}
