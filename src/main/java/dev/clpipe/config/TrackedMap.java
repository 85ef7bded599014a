package dev.clpipe.config;

import java.util.List;
import java.util.Set;

/**
 * One config map at a key path, with a {@link KeyTracker} that remembers which keys were asked for.
 * Knows where a key sits (path, origin) and hands out raw values; typing them is the readers' job.
 */
final class TrackedMap {

    private final ConfigMap map;
    private final String keyPath;
    private final KeyTracker tracker = new KeyTracker();

    TrackedMap(ConfigMap map, String keyPath) {
        this.map = map;
        this.keyPath = keyPath;
    }

    ConfigMap node() {
        return map;
    }

    String keyPath() {
        return keyPath;
    }

    String keyPath(String key) {
        return keyPath.isEmpty() ? key : keyPath + "." + key;
    }

    Origin origin() {
        return map.origin();
    }

    /** Where {@code key}'s value was written (the map's origin when absent). */
    Origin originOf(String key) {
        ConfigNode n = map.get(key);
        return n != null ? n.origin() : map.origin();
    }

    Set<String> keys() {
        return map.keys();
    }

    /** True when {@code key} is present with a non-null value. Does not mark it read. */
    boolean has(String key) {
        return nonNull(map.get(key)) != null;
    }

    /** The value at {@code key}, null when absent or null; marks the key as read. */
    ConfigNode value(String key) {
        tracker.accept(key);
        return nonNull(map.get(key));
    }

    void accept(String key) {
        tracker.accept(key);
    }

    void describe(String key, String description) {
        tracker.describe(key, description);
    }

    String description(String key) {
        return tracker.description(key);
    }

    void record(String key, String expected, Object defaultValue) {
        tracker.record(key, expected, defaultValue);
    }

    void usedPath(String key, java.nio.file.Path path) {
        tracker.usedPath(key, path);
    }

    KeyTracker tracker() {
        return tracker;
    }

    List<KeyDoc> documentation() {
        return tracker.documentation(this::keyPath);
    }

    List<ConfigProblem> unknownKeys() {
        return tracker.unknownKeys(map, this::keyPath);
    }

    /** A YAML null counts as absent, so {@code --set key=} resets a key to its default. */
    private static ConfigNode nonNull(ConfigNode n) {
        return n instanceof ConfigScalar s && s.isNull() ? null : n;
    }
}
