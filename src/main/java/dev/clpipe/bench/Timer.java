package dev.clpipe.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.clpipe.cl.ClQueue;
import java.lang.management.ManagementFactory;

/**
 * Wall-clock timing of enqueued device work: warm-up launches first (PoCL compiles per local
 * size on first launch), then repetitions enqueued back to back with one finish at the end, since a
 * finish round trip (16-30 us) would dwarf small kernels.
 */
public final class Timer {
    /**
     * {@code -Dclpipe.bench.clock=cpu}: time with this process's CPU time instead of the wall clock. On a
     * machine shared with other jobs, with {@code POCL_MAX_PTHREAD_COUNT=1}, that counts only the cycles
     * spent on our kernels (cache pollution from other jobs still shows), so variants stay comparable.
     */
    private static final boolean CPU_CLOCK = "cpu".equals(System.getProperty("clpipe.bench.clock"));
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private Timer() {}

    private static long now() {
        return CPU_CLOCK ? OS.getProcessCpuTime() : System.nanoTime();
    }

    /** Mean milliseconds per call of {@code work}, over at least {@code minReps} calls and ~{@code budgetMs}. */
    public static double millis(ClQueue queue, Runnable work, int minReps, double budgetMs) {
        work.run();
        queue.finish();
        long start = now();
        work.run();
        queue.finish();
        double once = (now() - start) / 1e6;
        int reps = (int) Math.max(minReps, Math.min(200, budgetMs / Math.max(once, 1e-3)));
        start = now();
        for (int i = 0; i < reps; i++) work.run();
        queue.finish();
        return (now() - start) / 1e6 / reps;
    }
}
