package dev.clpipe.cl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-kernel device time from profiling events. Disabled by default because every recorded
 * launch keeps an event alive until the next {@link ClQueue#finish()}.
 */
public final class KernelTimings {
    /** Launch count and summed device nanoseconds of one kernel name. */
    public record Total(long launches, long nanos) {
        Total plus(long more) {
            return new Total(launches + 1, nanos + more);
        }
    }

    private record Pending(String kernel, ClEvent event) {}

    private boolean enabled;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, Total> totals = new TreeMap<>();

    public synchronized void enable() {
        enabled = true;
    }

    public synchronized boolean enabled() {
        return enabled;
    }

    synchronized void record(String kernel, ClEvent event) {
        pending.add(new Pending(kernel, event));
    }

    /** Folds finished events into the totals; called by the queue after a finish. */
    synchronized void collect() {
        for (Pending p : pending) {
            try (ClEvent e = p.event()) {
                totals.merge(p.kernel(), new Total(1, e.nanos()), (a, b) -> a.plus(b.nanos()));
            }
        }
        pending.clear();
    }

    public synchronized Map<String, Total> totals() {
        collect();
        return Map.copyOf(totals);
    }
}
