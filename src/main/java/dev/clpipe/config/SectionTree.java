package dev.clpipe.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sections nested in one section. Hands out each child once, so that reading a section twice
 * shares what was read, and gathers documentation and unknown keys over the whole tree.
 */
final class SectionTree {

    private final KeyReader reader;
    private final List<ConfigSection> children = new ArrayList<>();
    private final Map<String, ConfigSection> sections = new HashMap<>();
    private final Map<String, List<ConfigSection>> sectionLists = new HashMap<>();

    SectionTree(KeyReader reader) {
        this.reader = reader;
    }

    /** The map at {@code key}; an empty section (all defaults) when absent. */
    ConfigSection section(String key) {
        TrackedMap keys = reader.keys();
        return optionalSection(key).orElseGet(() -> sections.computeIfAbsent(key,
                k -> child(ConfigMap.empty(keys.originOf(k)), keys.keyPath(k))));
    }

    Optional<ConfigSection> optionalSection(String key) {
        TrackedMap keys = reader.keys();
        keys.record(key, "a map", "{}");
        ConfigNode n = keys.value(key);
        if (n == null) {
            return Optional.empty();
        }
        if (!(n instanceof ConfigMap m)) {
            throw reader.errors().wrong(key, "a map of settings", n);
        }
        return Optional.of(sections.computeIfAbsent(key, k -> child(m, keys.keyPath(k))));
    }

    /** The list of maps at {@code key}; item paths use their {@code id}: {@code stages[train]}. */
    List<ConfigSection> sectionList(String key) {
        return sectionLists.containsKey(key) ? sectionLists.get(key)
                : reader.read(key, "a list of maps", List.of(), n -> n instanceof ConfigList list ? items(key, list) : null);
    }

    /** What was read from this section and below: its own keys first, then each child's in reading order. */
    List<KeyDoc> documentation() {
        List<KeyDoc> out = new ArrayList<>(reader.keys().documentation());
        children.forEach(c -> out.addAll(c.documentation()));
        return out;
    }

    /** See {@link ConfigSection#completed()}; child sections and lists of sections are completed in turn. */
    ConfigMap completed() {
        TrackedMap keys = reader.keys();
        ConfigMap map = keys.node();
        Origin filled = Origin.of("default");
        for (Map.Entry<String, Object> d : keys.tracker().defaults().entrySet()) {
            if (!keys.has(d.getKey()) && !sections.containsKey(d.getKey()) && !sectionLists.containsKey(d.getKey())) {
                map = map.with(d.getKey(), node(d.getValue(), filled), filled);
            }
        }
        for (Map.Entry<String, java.nio.file.Path> p : keys.tracker().usedPaths().entrySet()) {
            map = map.with(p.getKey(), ConfigScalar.of(p.getValue().toString(), keys.originOf(p.getKey())), keys.originOf(p.getKey()));
        }
        for (Map.Entry<String, ConfigSection> s : sections.entrySet()) {
            if (!keys.has(s.getKey())) continue; // an absent section stays absent: stages may read its presence as a choice
            ConfigMap child = s.getValue().completed();
            if (!child.entries().isEmpty()) map = map.with(s.getKey(), child, keys.originOf(s.getKey()));
        }
        for (Map.Entry<String, List<ConfigSection>> l : sectionLists.entrySet()) {
            List<ConfigNode> items = new ArrayList<>();
            l.getValue().forEach(c -> items.add(c.completed()));
            map = map.with(l.getKey(), new ConfigList(items, keys.originOf(l.getKey())), keys.originOf(l.getKey()));
        }
        return map;
    }

    private static ConfigNode node(Object value, Origin origin) {
        if (value instanceof List<?> list) {
            List<ConfigNode> items = new ArrayList<>();
            list.forEach(v -> items.add(node(v, origin)));
            return new ConfigList(items, origin);
        }
        if (value instanceof Float || value instanceof Double) return ConfigScalar.of(((Number) value).doubleValue(), origin);
        if (value instanceof Integer || value instanceof Long || value instanceof Short) return ConfigScalar.of(((Number) value).longValue(), origin);
        if (value instanceof Boolean) return ConfigScalar.of(value, origin);
        return ConfigScalar.of(String.valueOf(value), origin);
    }

    /** Keys nobody asked for, in this section and below. */
    List<ConfigProblem> unknownKeys() {
        List<ConfigProblem> out = new ArrayList<>(reader.keys().unknownKeys());
        children.forEach(c -> out.addAll(c.tree().unknownKeys()));
        return out;
    }

    private List<ConfigSection> items(String key, ConfigList list) {
        List<ConfigSection> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigNode item = list.get(i);
            String id = Overrides.idOf(item);
            String itemPath = reader.keys().keyPath(key) + "[" + (id != null ? id : String.valueOf(i)) + "]";
            if (!(item instanceof ConfigMap m)) {
                throw SectionErrors.wrongItem(itemPath, "a map of settings", item);
            }
            out.add(child(m, itemPath));
        }
        sectionLists.put(key, List.copyOf(out));
        return sectionLists.get(key);
    }

    private ConfigSection child(ConfigMap m, String path) {
        ConfigSection c = new ConfigSection(m, path);
        children.add(c);
        return c;
    }
}
