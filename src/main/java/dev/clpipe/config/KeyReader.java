package dev.clpipe.config;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way every typed read goes: record the expectation and default (for documentation and
 * unknown-key checks), take the value, fall back to the default or complain that it is missing,
 * convert, and complain with the expectation when the conversion refuses the value.
 */
final class KeyReader {

    private final TrackedMap keys;
    private final SectionErrors errors;

    KeyReader(TrackedMap keys, SectionErrors errors) {
        this.keys = keys;
        this.errors = errors;
    }

    TrackedMap keys() {
        return keys;
    }

    SectionErrors errors() {
        return errors;
    }

    /**
     * The value at {@code key} converted by {@code convert}, which returns null for a value it
     * refuses; {@code defaultValue} when absent, an error when absent and the default is null.
     */
    <T> T read(String key, String expected, T defaultValue, Function<ConfigNode, T> convert) {
        keys.record(key, expected, defaultValue);
        ConfigNode n = keys.value(key);
        if (n == null) {
            return errors.orMissing(key, expected, defaultValue);
        }
        return converted(key, expected, n, convert);
    }

    /** As {@link #read}, but an absent key gives null (documented as default "none"). */
    <T> T readOptional(String key, String expected, Function<ConfigNode, T> convert) {
        keys.record(key, expected, "none");
        ConfigNode n = keys.value(key);
        return n == null ? null : converted(key, expected, n, convert);
    }

    /**
     * {@code read} when {@code key} has a value; otherwise documents the key as optional (default
     * "none") and gives empty. A present key is documented by {@code read} itself.
     */
    <T> Optional<T> ifPresent(String key, String expected, Supplier<T> read) {
        if (keys.has(key)) {
            return Optional.of(read.get());
        }
        keys.record(key, expected, "none");
        return Optional.empty();
    }

    private <T> T converted(String key, String expected, ConfigNode n, Function<ConfigNode, T> convert) {
        T v = convert.apply(n);
        if (v == null) {
            throw errors.wrong(key, expected, n);
        }
        return v;
    }
}
