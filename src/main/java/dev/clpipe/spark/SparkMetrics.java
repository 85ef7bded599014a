package dev.clpipe.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * Spark accumulators of one run, summed over every executor: per stage busy nanoseconds and items
 * (the source's time is the time spent reading rows from {@code binaryFile}), images seen,
 * written through every stage, and skipped. Only successful tasks' updates count, so a retried
 * task is not counted twice.
 */
final class SparkMetrics implements Serializable {
    private static final long serialVersionUID = 1L;
    private final List<String> stageIds;
    private final List<LongAccumulator> busy = new ArrayList<>();
    private final List<LongAccumulator> items = new ArrayList<>();
    private final LongAccumulator images;
    private final LongAccumulator skipped;
    private final CollectionAccumulator<SectionPart> sections;

    /** What the batches of one task added to a stage's metrics.json section ({@link SectionDeltas}). */
    record SectionPart(String stageId, String section, Map<String, Number> added) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    SparkMetrics(SparkContext sc, List<String> stageIds) {
        this.stageIds = List.copyOf(stageIds);
        for (String id : stageIds) {
            busy.add(sc.longAccumulator("clpipe." + id + ".busy_ns"));
            items.add(sc.longAccumulator("clpipe." + id + ".items"));
        }
        images = sc.longAccumulator("clpipe.images");
        skipped = sc.longAccumulator("clpipe.skipped");
        sections = sc.collectionAccumulator("clpipe.sections");
    }

    void section(String stageId, String section, Map<String, Number> added) {
        sections.add(new SectionPart(stageId, section, Map.copyOf(added)));
    }

    /** Stage {@code index} in plan order: 0 is the source. */
    void stage(int index, long nanos, int count) {
        busy.get(index).add(nanos);
        items.get(index).add(count);
    }

    void image(boolean wasSkipped) {
        images.add(1);
        if (wasSkipped) skipped.add(1);
    }

    long images() {
        return images.value();
    }

    long skipped() {
        return skipped.value();
    }

    /** metrics.json's {@code stages} section: seconds are busy time, and the stages' own counts, summed over executors. */
    Map<String, Object> stagesJson() {
        Map<String, Map<String, Map<String, Number>>> summed = new LinkedHashMap<>(); // stage -> section -> key -> sum
        for (SectionPart p : sections.value()) {
            Map<String, Number> sum = summed.computeIfAbsent(p.stageId(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(p.section(), k -> new LinkedHashMap<>(p.added().size()));
            if (sum.isEmpty()) p.added().keySet().forEach(k -> sum.put(k, 0L));
            SectionDeltas.sum(sum, p.added());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < stageIds.size(); i++) {
            double seconds = busy.get(i).value() / 1e9;
            long n = items.get(i).value();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("seconds", round(seconds));
            s.put("busy_seconds", round(seconds));
            s.put("items", n);
            s.put("items_per_s", seconds == 0 ? 0 : round(n / seconds));
            s.put("wait_fraction", 0.0);
            s.putAll(summed.getOrDefault(stageIds.get(i), Map.of()));
            out.put(stageIds.get(i), s);
        }
        return out;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
