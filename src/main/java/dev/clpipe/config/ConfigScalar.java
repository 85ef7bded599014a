package dev.clpipe.config;

import java.util.Objects;

/**
 * A scalar: null, String, Long, Double or Boolean, plus the text it was written as.
 */
public record ConfigScalar(Object value, String text, Origin origin) implements ConfigNode {

    /** Longest value quoted in an error message. */
    private static final int MAX_SHOWN = 80;

    public ConfigScalar {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(origin, "origin");
        if (value != null && !(value instanceof String || value instanceof Long
                || value instanceof Double || value instanceof Boolean)) {
            throw new IllegalArgumentException("unsupported scalar type " + value.getClass().getName());
        }
    }

    public static ConfigScalar of(Object value, Origin origin) {
        return new ConfigScalar(value, value == null ? "null" : String.valueOf(value), origin);
    }

    public boolean isNull() {
        return value == null;
    }

    @Override
    public String describe() {
        if (value == null) {
            return "null";
        }
        String shown = value instanceof String s ? '"' + s + '"' : text;
        return shown.length() <= MAX_SHOWN ? shown : shown.substring(0, MAX_SHOWN - 3) + "...";
    }

    @Override
    public ConfigNode withOrigin(Origin newOrigin) {
        return new ConfigScalar(value, text, newOrigin);
    }

    @Override
    public Object plain() {
        return value;
    }
}
