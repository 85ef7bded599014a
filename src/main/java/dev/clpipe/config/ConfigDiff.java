package dev.clpipe.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The keys in which two resolved configs differ, as key paths ({@code stages[write].format},
 * {@code batch}); list items that carry an {@code id} are named by it, others by index.
 */
public final class ConfigDiff {
    private ConfigDiff() {
    }

    /** Differing key paths in first-seen order; keys in {@code ignored} (top level) are left out. */
    public static List<String> keys(ConfigNode recorded, ConfigNode current, Set<String> ignored) {
        Map<String, Object> a = flatten(recorded);
        Map<String, Object> b = flatten(current);
        Set<String> all = new LinkedHashSet<>(a.keySet());
        all.addAll(b.keySet());
        List<String> differing = new ArrayList<>();
        for (String key : all) {
            if (ignored.contains(key.split("[.\\[]", 2)[0])) continue;
            if (!Objects.equals(a.get(key), b.get(key))) differing.add(key);
        }
        return differing;
    }

    /** 1 and 1.0 compare equal; NaN and infinities stay doubles. */
    private static Object comparable(Object value) {
        if (value instanceof Long l) return java.math.BigDecimal.valueOf(l).stripTrailingZeros();
        if (value instanceof Double d && Double.isFinite(d)) return java.math.BigDecimal.valueOf(d).stripTrailingZeros();
        return value;
    }

    private static Map<String, Object> flatten(ConfigNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten(node, "", out);
        return out;
    }

    private static void flatten(ConfigNode node, String path, Map<String, Object> out) {
        if (node instanceof ConfigMap map) {
            if (map.entries().isEmpty()) out.put(path, "{}");
            map.entries().forEach((k, v) -> flatten(v, path.isEmpty() ? k : path + "." + k, out));
        } else if (node instanceof ConfigList list) {
            if (list.items().isEmpty()) out.put(path, "[]");
            for (int i = 0; i < list.size(); i++) {
                ConfigNode item = list.get(i);
                String name = item instanceof ConfigMap m && m.get("id") instanceof ConfigScalar id && id.value() != null
                        ? String.valueOf(id.value()) : String.valueOf(i);
                flatten(item, path + "[" + name + "]", out);
            }
        } else {
            Object value = ((ConfigScalar) node).value();
            out.put(path, comparable(value));
        }
    }
}
