package dev.clpipe.config;

import java.util.List;

/**
 * Builds the errors of one section: file:line:col, key path, what was expected (with the key's
 * description, if the stage gave one) and what was found.
 */
final class SectionErrors {

    private final TrackedMap keys;

    SectionErrors(TrackedMap keys) {
        this.keys = keys;
    }

    /** A message of the caller's own, located at {@code key}'s value (the section when absent). */
    ConfigException at(String key, String message) {
        return new ConfigException(keys.originOf(key), keys.keyPath(key), message);
    }

    /** A message of the caller's own, located at the section itself. */
    ConfigException atSection(String message) {
        return new ConfigException(keys.origin(), keys.keyPath(), message);
    }

    ConfigException wrong(String key, String expected, ConfigNode found) {
        return wrong(key, expected, found, "");
    }

    /** As {@link #wrong(String, String, ConfigNode)}, with {@code hint} appended (e.g. "did you mean"). */
    ConfigException wrong(String key, String expected, ConfigNode found, String hint) {
        return new ConfigException(found.origin(), keys.keyPath(key),
                "expected " + expected(key, expected) + ", found " + found.describe() + hint);
    }

    /** The default, or an error saying the key is missing when there is none. */
    <T> T orMissing(String key, String expected, T defaultValue) {
        if (defaultValue == null) {
            throw new ConfigException(keys.origin(), keys.keyPath(key),
                    "expected " + expected(key, expected) + ", found nothing (the key is missing)");
        }
        return defaultValue;
    }

    /** A wrong item of a list; items have no description of their own. */
    static ConfigException wrongItem(String itemPath, String expected, ConfigNode item) {
        return new ConfigException(item.origin(), itemPath, "expected " + expected + ", found " + item.describe());
    }

    static void throwIfAny(List<ConfigProblem> problems) {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private String expected(String key, String expected) {
        String d = keys.description(key);
        return d.isEmpty() ? expected : expected + " (" + d + ")";
    }
}
