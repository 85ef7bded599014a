package dev.clpipe.nn.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The devices a {@link ReplicatedTrainer} dropped: each is logged, closed and listed for metrics.json. */
final class ReplicaFailures {
    private static final Logger LOG = LogManager.getLogger(ReplicaFailures.class);

    private final List<Map<String, Object>> failures = new ArrayList<>();

    /** Marks {@code r} failed at {@code step}, records why, and releases what it can of it. */
    void drop(Replica r, Throwable cause, int epoch, long step) {
        LOG.warn("device {} ({}) failed at step {} and is dropped; its rows go to the other devices: {}",
                r.share().index(), r.share().device(), step, cause.getMessage());
        r.share().failed(cause.getMessage());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("device", r.share().index());
        f.put("name", r.share().device());
        f.put("step", step);
        f.put("epoch", epoch);
        f.put("message", cause.getMessage());
        failures.add(f);
        try {
            r.close();
        } catch (RuntimeException ignored) {
            // a failed device may refuse to release; its context is closed with the run
        }
    }

    List<Map<String, Object>> toJson() {
        return List.copyOf(failures);
    }
}
