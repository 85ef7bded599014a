package dev.clpipe.cl;

import java.util.concurrent.atomic.AtomicInteger;

/** Process-wide counts of how programs were obtained, for logs, tests and the warm-start check. */
public final class ProgramStats {
    private static final AtomicInteger COMPILED = new AtomicInteger();
    private static final AtomicInteger CACHE_HITS = new AtomicInteger();
    private static final AtomicInteger OFFLINE_LOADS = new AtomicInteger();

    private ProgramStats() {}

    public static int compiled() {
        return COMPILED.get();
    }

    public static int cacheHits() {
        return CACHE_HITS.get();
    }

    public static int offlineLoads() {
        return OFFLINE_LOADS.get();
    }

    static void countCompiled() {
        COMPILED.incrementAndGet();
    }

    static void countCacheHit() {
        CACHE_HITS.incrementAndGet();
    }

    static void countOfflineLoad() {
        OFFLINE_LOADS.incrementAndGet();
    }

    public static String summary() {
        return "kernels: " + compiled() + " compiled, " + cacheHits() + " from cache, " + offlineLoads() + " offline binaries";
    }
}
