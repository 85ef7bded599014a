package dev.clpipe.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Remembers which keys a stage asked for (present or not), with their expectation, default and
 * description; from that it documents the section and finds the keys nobody asked for.
 */
final class KeyTracker {

    private record Read(String expected, String defaultValue) {
    }

    private final Set<String> requested = new LinkedHashSet<>();
    private final Map<String, String> descriptions = new HashMap<>();
    private final Map<String, Read> reads = new LinkedHashMap<>();
    private final Map<String, Object> defaults = new LinkedHashMap<>();
    private final Map<String, java.nio.file.Path> usedPaths = new LinkedHashMap<>();
    private final Set<String> presenceAsked = new LinkedHashSet<>();

    void accept(String key) {
        requested.add(key);
    }

    void describe(String key, String description) {
        descriptions.put(key, description);
    }

    String description(String key) {
        return descriptions.getOrDefault(key, "");
    }

    /** Marks {@code key} as known and remembers the first expectation and default it was read with. */
    void record(String key, String expected, Object defaultValue) {
        requested.add(key);
        reads.putIfAbsent(key, new Read(expected, defaultValue == null ? null : String.valueOf(defaultValue)));
        if (defaultValue != null && !"none".equals(defaultValue) && !"{}".equals(defaultValue)) defaults.putIfAbsent(key, defaultValue);
    }

    /** Remembers the absolute path a read of {@code key} resolved to (or a stage chose for it). */
    void usedPath(String key, java.nio.file.Path path) {
        usedPaths.put(key, path);
    }

    /** Key → typed default, for absent keys whose presence no stage asked about (the completed config fills them in). */
    Map<String, Object> defaults() {
        Map<String, Object> fill = new LinkedHashMap<>(defaults);
        fill.keySet().removeAll(presenceAsked);
        return fill;
    }

    /** A stage asked whether {@code key} is present: filling its default would change the meaning. */
    void presenceMatters(String key) {
        presenceAsked.add(key);
    }

    /** Key → absolute path used, for path keys. */
    Map<String, java.nio.file.Path> usedPaths() {
        return usedPaths;
    }

    List<KeyDoc> documentation(UnaryOperator<String> pathOf) {
        List<KeyDoc> out = new ArrayList<>();
        reads.forEach((key, r) -> out.add(new KeyDoc(pathOf.apply(key), r.expected(), r.defaultValue(), description(key))));
        return out;
    }

    /** One problem per key of {@code map} never asked for, with the nearest known key as a hint. */
    List<ConfigProblem> unknownKeys(ConfigMap map, UnaryOperator<String> pathOf) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (String key : map.keys()) {
            if (requested.contains(key)) {
                continue;
            }
            String hint = Suggestions.hint(key, requested);
            if (hint.isEmpty() && !requested.isEmpty()) {
                hint = "; known keys are " + String.join(", ", requested);
            }
            problems.add(new ConfigProblem(map.keyOrigin(key), pathOf.apply(key), "unknown key '" + key + "'" + hint));
        }
        return problems;
    }
}
