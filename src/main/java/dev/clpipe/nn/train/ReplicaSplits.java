package dev.clpipe.nn.train;

import dev.clpipe.cl.parallel.ProportionalSplit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * How a {@link ReplicatedTrainer}'s batch is split over its replicas: evenly at the start, then
 * in proportion to each device's measured speed (rows per busy second), and the history of every
 * split for metrics.json.
 */
final class ReplicaSplits {
    private static final Logger LOG = LogManager.getLogger(ReplicaSplits.class);

    private final int batch;
    private final List<Map<String, Object>> history = new ArrayList<>();

    ReplicaSplits(int batch) {
        this.batch = batch;
    }

    /** Rows per device of an even split (the remainder to the first devices). */
    static int[] even(int batch, int devices) {
        double[] same = new double[devices];
        Arrays.fill(same, 1);
        return ProportionalSplit.of(batch, same);
    }

    /**
     * Re-splits by measured speed when some device would move by at least 1/32 of the batch, or
     * when the rows no longer sum to the batch (a device was dropped). Returns whether it re-split.
     */
    boolean rebalance(List<Replica> replicas, String reason, int epoch, long step) {
        double[] speeds = new double[replicas.size()];
        for (int i = 0; i < speeds.length; i++) speeds[i] = replicas.get(i).share().speed();
        for (double s : speeds) if (s <= 0) Arrays.fill(speeds, 1); // not all measured yet: even split
        int[] next = ProportionalSplit.of(batch, speeds);
        int[] current = rows(replicas);
        boolean forced = Arrays.stream(current).sum() != batch;
        if (!forced && !ProportionalSplit.differs(current, next, Math.max(1, batch / 32))) return false;
        for (int i = 0; i < replicas.size(); i++) replicas.get(i).resize(next[i], epoch, step);
        record(replicas, reason, step);
        LOG.info("step {}: batch split {} over {} ({})", step, Arrays.toString(next), replicas.stream().map(r -> r.share().index()).toList(), reason);
        return true;
    }

    void record(List<Replica> replicas, String reason, long step) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("reason", reason);
        Map<String, Integer> rows = new LinkedHashMap<>();
        for (Replica r : replicas) rows.put(String.valueOf(r.share().index()), r.rows());
        m.put("rows", rows);
        history.add(m);
    }

    static int[] rows(List<Replica> replicas) {
        return replicas.stream().mapToInt(Replica::rows).toArray();
    }

    List<Map<String, Object>> history() {
        return List.copyOf(history);
    }
}
