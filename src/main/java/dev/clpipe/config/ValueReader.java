package dev.clpipe.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Number, boolean and list reads for {@link ConfigSection}, with range checks and messages. */
final class ValueReader {

    private final ConfigSection section;

    ValueReader(ConfigSection section) {
        this.section = section;
    }

    int intIn(String key, int min, int max, Integer defaultValue) {
        String expected = intExpectation(min, max);
        section.record(key, expected, defaultValue);
        ConfigNode n = section.value(key);
        if (n == null) {
            return section.require(key, expected, defaultValue);
        }
        if (n instanceof ConfigScalar s && s.value() instanceof Long l && l >= min && l <= max) {
            return l.intValue();
        }
        throw section.wrong(key, expected, n);
    }

    long longValue(String key, Long defaultValue) {
        section.record(key, "an integer", defaultValue);
        ConfigNode n = section.value(key);
        if (n == null) {
            return section.require(key, "an integer", defaultValue);
        }
        if (n instanceof ConfigScalar s && s.value() instanceof Long l) {
            return l;
        }
        throw section.wrong(key, "an integer", n);
    }

    double doubleIn(String key, double min, double max, boolean positive, Double defaultValue) {
        String expected = positive ? "a positive number" : doubleExpectation(min, max);
        section.record(key, expected, defaultValue);
        ConfigNode n = section.value(key);
        if (n == null) {
            return section.require(key, expected, defaultValue);
        }
        if (n instanceof ConfigScalar s && (s.value() instanceof Long || s.value() instanceof Double)) {
            double d = ((Number) s.value()).doubleValue();
            boolean ok = positive ? d > 0 && Double.isFinite(d) : d >= min && d <= max && !Double.isNaN(d);
            if (ok) {
                return d;
            }
        }
        throw section.wrong(key, expected, n);
    }

    boolean bool(String key, Boolean defaultValue) {
        section.record(key, "true or false", defaultValue);
        ConfigNode n = section.value(key);
        if (n == null) {
            return section.require(key, "true or false", defaultValue);
        }
        if (n instanceof ConfigScalar s && s.value() instanceof Boolean b) {
            return b;
        }
        throw section.wrong(key, "true or false", n);
    }

    /** A list read item by item; a single scalar is not promoted to a list. */
    <T> List<T> list(String key, String expected, List<T> defaultValue, BiFunction<String, ConfigNode, T> item) {
        section.record(key, expected, defaultValue);
        ConfigNode n = section.value(key);
        if (n == null) {
            return section.require(key, expected, defaultValue);
        }
        if (!(n instanceof ConfigList list)) {
            throw section.wrong(key, expected, n);
        }
        List<T> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(item.apply(section.keyPath(key) + "[" + i + "]", list.get(i)));
        }
        return List.copyOf(out);
    }

    static Double numberItem(String itemPath, ConfigNode item) {
        if (item instanceof ConfigScalar s && (s.value() instanceof Long || s.value() instanceof Double)) {
            return ((Number) s.value()).doubleValue();
        }
        throw new ConfigException(item.origin(), itemPath, "expected a number, found " + item.describe());
    }

    static Integer intItem(String itemPath, ConfigNode item) {
        if (item instanceof ConfigScalar s && s.value() instanceof Long l
                && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        throw new ConfigException(item.origin(), itemPath, "expected an integer, found " + item.describe());
    }

    static String stringItem(String itemPath, ConfigNode item) {
        if (item instanceof ConfigScalar s && !s.isNull()) {
            return s.value() instanceof String str ? str : s.text();
        }
        throw new ConfigException(item.origin(), itemPath, "expected a string, found " + item.describe());
    }

    private static String intExpectation(int min, int max) {
        if (min == Integer.MIN_VALUE && max == Integer.MAX_VALUE) {
            return "an integer";
        }
        if (max == Integer.MAX_VALUE) {
            return "an integer >= " + min;
        }
        return "an integer from " + min + " to " + max;
    }

    private static String doubleExpectation(double min, double max) {
        if (min == Double.NEGATIVE_INFINITY && max == Double.POSITIVE_INFINITY) {
            return "a number";
        }
        if (max == Double.POSITIVE_INFINITY) {
            return "a number >= " + fmt(min);
        }
        if (min == Double.NEGATIVE_INFINITY) {
            return "a number <= " + fmt(max);
        }
        return "a number from " + fmt(min) + " to " + fmt(max);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
