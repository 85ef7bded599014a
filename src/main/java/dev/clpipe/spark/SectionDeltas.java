package dev.clpipe.spark;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one batch added to a stage's metrics.json sections, so the driver can sum executors'
 * counts (face-embed's {@code faces}: images, faces, rejected) from successful task attempts
 * only. A section counts when it is a flat map of numbers: each number's increase is taken;
 * other sections (a device list, a text) are per executor and not summed.
 */
final class SectionDeltas {
    private SectionDeltas() {}

    /** Section → key → increase, for the sections whose numbers changed between the two snapshots. */
    static Map<String, Map<String, Number>> added(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Map<String, Number>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> section : after.entrySet()) {
            if (!(section.getValue() instanceof Map<?, ?> now)) continue;
            Map<?, ?> was = before.get(section.getKey()) instanceof Map<?, ?> m ? m : Map.of();
            Map<String, Number> added = new LinkedHashMap<>();
            boolean numeric = true, changed = false;
            for (Map.Entry<?, ?> e : now.entrySet()) {
                if (!(e.getValue() instanceof Number n)) {
                    numeric = false;
                    break;
                }
                Number old = was.get(e.getKey()) instanceof Number o ? o : 0L;
                Number d = isInteger(n) && isInteger(old) ? (Number) (n.longValue() - old.longValue()) : (Number) (n.doubleValue() - old.doubleValue());
                changed |= d.doubleValue() != 0;
                added.put(String.valueOf(e.getKey()), d);
            }
            if (numeric && changed) out.put(section.getKey(), added);
        }
        return out;
    }

    /** Adds {@code more} into {@code sum}, key by key (integers stay integers). */
    static void sum(Map<String, Number> sum, Map<String, Number> more) {
        more.forEach((k, v) -> sum.merge(k, v, (a, b) -> isInteger(a) && isInteger(b) ? (Number) (a.longValue() + b.longValue())
                : (Number) (a.doubleValue() + b.doubleValue())));
    }

    private static boolean isInteger(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }
}
