package dev.clpipe.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A YAML mapping with string keys, in source order. Remembers where each key was written so
 * that "unknown key" errors can point at the key itself.
 */
public record ConfigMap(Map<String, ConfigNode> entries, Map<String, Origin> keyOrigins, Origin origin)
        implements ConfigNode {

    public ConfigMap {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        keyOrigins = Collections.unmodifiableMap(new LinkedHashMap<>(keyOrigins));
        Objects.requireNonNull(origin, "origin");
        if (!entries.keySet().containsAll(keyOrigins.keySet())) {
            throw new IllegalArgumentException("key origins for absent keys: " + keyOrigins.keySet());
        }
    }

    public static ConfigMap empty(Origin origin) {
        return new ConfigMap(Map.of(), Map.of(), origin);
    }

    public ConfigNode get(String key) {
        return entries.get(key);
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    /** Where {@code key} was written; the value's origin when the key position is unknown. */
    public Origin keyOrigin(String key) {
        Origin o = keyOrigins.get(key);
        if (o != null) {
            return o;
        }
        ConfigNode value = entries.get(key);
        return value != null ? value.origin() : origin;
    }

    /** A copy with {@code key} set to {@code value} (keeps the key's position if present). */
    public ConfigMap with(String key, ConfigNode value, Origin keyOrigin) {
        Map<String, ConfigNode> e = new LinkedHashMap<>(entries);
        Map<String, Origin> k = new LinkedHashMap<>(keyOrigins);
        e.put(key, value);
        k.put(key, keyOrigin);
        return new ConfigMap(e, k, origin);
    }

    /** A copy without {@code key}. */
    public ConfigMap without(String key) {
        Map<String, ConfigNode> e = new LinkedHashMap<>(entries);
        Map<String, Origin> k = new LinkedHashMap<>(keyOrigins);
        e.remove(key);
        k.remove(key);
        return new ConfigMap(e, k, origin);
    }

    @Override
    public String describe() {
        return "a map";
    }

    @Override
    public ConfigNode withOrigin(Origin newOrigin) {
        Map<String, ConfigNode> e = new LinkedHashMap<>();
        Map<String, Origin> k = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            e.put(key, value.withOrigin(newOrigin));
            k.put(key, newOrigin);
        });
        return new ConfigMap(e, k, newOrigin);
    }

    @Override
    public Object plain() {
        Map<String, Object> out = new LinkedHashMap<>();
        entries.forEach((key, value) -> out.put(key, value.plain()));
        return out;
    }
}
