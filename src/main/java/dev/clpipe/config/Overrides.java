package dev.clpipe.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line overrides: {@code --set a.b.c=value} (value parsed as YAML, so {@code 0.1},
 * {@code true}, {@code [1, 2]} and {@code {a: 1}} keep their types; an empty value is null,
 * which resets the key to its default) and the common flags {@code --input}, {@code --out},
 * {@code --device}, {@code --seed}. Paths may address list items by index ({@code stages.0.lr})
 * or by {@code id} ({@code stages[train].lr}). Missing map keys are created.
 */
public final class Overrides {

    /** Flag names accepted by {@link #applyFlags}; each sets the top-level key of the same name. */
    public static final Set<String> FLAGS = Set.of("input", "out", "device", "seed");

    private Overrides() {
    }

    /** Applies every {@code path=value} in order; reports all bad ones together. */
    public static ConfigMap applySets(ConfigMap root, List<String> sets) {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigMap result = root;
        for (String set : sets) {
            try {
                result = applySet(result, set);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return result;
    }

    /** Applies one {@code path=value}. */
    public static ConfigMap applySet(ConfigMap root, String set) {
        Origin origin = Origin.of("--set " + set);
        int eq = set.indexOf('=');
        if (eq < 0) {
            throw new ConfigException(origin, "", "expected --set key.path=value, found no '='");
        }
        String pathText = set.substring(0, eq).trim();
        KeyPath path;
        try {
            path = KeyPath.parse(pathText);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(origin, pathText, e.getMessage());
        }
        if (path.segments().get(0).equals("base")) {
            throw new ConfigException(origin, pathText, "'base' cannot be overridden; it is resolved when the file is read");
        }
        ConfigNode value = new YamlReader().parse(set.substring(eq + 1), null, origin.source()).withOrigin(origin);
        return set(root, path, value, origin);
    }

    /** Sets {@code value} at {@code path}, creating missing map keys. */
    public static ConfigMap set(ConfigMap root, KeyPath path, ConfigNode value, Origin origin) {
        return (ConfigMap) setIn(root, path.segments(), 0, "", value, origin);
    }

    /**
     * Applies the common flags ({@code input, out, device} as strings, {@code seed} as an integer).
     * Null or blank values are skipped, so the CLI may pass every flag it knows.
     */
    public static ConfigMap applyFlags(ConfigMap root, Map<String, String> flags) {
        ConfigMap result = root;
        for (Map.Entry<String, String> flag : flags.entrySet()) {
            String name = flag.getKey();
            String text = flag.getValue();
            if (!FLAGS.contains(name)) {
                throw new IllegalArgumentException("unknown common flag '" + name + "', expected one of " + FLAGS);
            }
            if (text == null || text.isBlank()) {
                continue;
            }
            Origin origin = Origin.of("--" + name + " " + text);
            Object value = text;
            if (name.equals("seed")) {
                value = ScalarParser.integer(text.trim());
                if (!(value instanceof Long)) {
                    throw new ConfigException(origin, "seed", "expected an integer, found \"" + text + "\"");
                }
            }
            result = result.with(name, new ConfigScalar(value, text, origin), origin);
        }
        return result;
    }

    private static ConfigNode setIn(ConfigNode node, List<String> segs, int i, String at, ConfigNode value,
            Origin origin) {
        if (i == segs.size()) {
            return value;
        }
        String seg = segs.get(i);
        if (node instanceof ConfigMap map) {
            String here = at.isEmpty() ? seg : at + "." + seg;
            ConfigNode child = map.get(seg);
            if (child == null || (child instanceof ConfigScalar s && s.isNull() && i + 1 < segs.size())) {
                child = ConfigMap.empty(origin);
            }
            Origin keyOrigin = map.has(seg) ? map.keyOrigin(seg) : origin;
            return map.with(seg, setIn(child, segs, i + 1, here, value, origin), keyOrigin);
        }
        if (node instanceof ConfigList list) {
            int index = indexOf(list, seg, at, origin);
            String here = at + "[" + seg + "]";
            return list.with(index, setIn(list.get(index), segs, i + 1, here, value, origin));
        }
        throw new ConfigException(origin, at, "cannot set '" + seg + "' inside " + node.describe()
                + " (written at " + node.origin() + "); only maps and lists have keys");
    }

    private static int indexOf(ConfigList list, String seg, String at, Origin origin) {
        if (KeyPath.isIndex(seg)) {
            int index = Integer.parseInt(seg);
            if (index >= list.size()) {
                throw new ConfigException(origin, at, "index " + index + " is out of range; the list has "
                        + list.size() + " items");
            }
            return index;
        }
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            String id = idOf(list.get(k));
            if (seg.equals(id)) {
                return k;
            }
            if (id != null) {
                ids.add(id);
            }
        }
        throw new ConfigException(origin, at, "no item with id '" + seg + "'; ids are " + ids
                + Suggestions.hint(seg, ids));
    }

    /** The scalar {@code id} of a list item that is a map, or null. */
    static String idOf(ConfigNode item) {
        if (item instanceof ConfigMap m && m.get("id") instanceof ConfigScalar s && !s.isNull()) {
            return s.text();
        }
        return null;
    }
}
