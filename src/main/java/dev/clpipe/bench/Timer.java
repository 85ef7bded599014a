package dev.clpipe.bench;

import dev.clpipe.cl.ClQueue;

/**
 * Wall-clock timing of enqueued device work: warm-up launches first (PoCL compiles per local
 * size on first launch), then repetitions enqueued back to back with one finish at the end, since a
 * finish round trip (16-30 us) would dwarf small kernels.
 */
public final class Timer {
    private Timer() {}

    /** Mean milliseconds per call of {@code work}, over at least {@code minReps} calls and ~{@code budgetMs}. */
    public static double millis(ClQueue queue, Runnable work, int minReps, double budgetMs) {
        work.run();
        queue.finish();
        long start = System.nanoTime();
        work.run();
        queue.finish();
        double once = (System.nanoTime() - start) / 1e6;
        int reps = (int) Math.max(minReps, Math.min(200, budgetMs / Math.max(once, 1e-3)));
        start = System.nanoTime();
        for (int i = 0; i < reps; i++) work.run();
        queue.finish();
        return (System.nanoTime() - start) / 1e6 / reps;
    }
}
