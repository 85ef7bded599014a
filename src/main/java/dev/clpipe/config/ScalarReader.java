package dev.clpipe.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** Single values of a section: integers and numbers with range checks, booleans, strings, choices. */
final class ScalarReader {

    private final KeyReader reader;

    ScalarReader(KeyReader reader) {
        this.reader = reader;
    }

    int intIn(String key, int min, int max, Integer defaultValue) {
        return reader.read(key, Expectations.integer(min, max), defaultValue, n -> ScalarValues.intIn(n, min, max));
    }

    Optional<Integer> optionalInt(String key) {
        return reader.ifPresent(key, "an integer", () -> intIn(key, Integer.MIN_VALUE, Integer.MAX_VALUE, null));
    }

    long longValue(String key, Long defaultValue) {
        return reader.read(key, "an integer", defaultValue, ScalarValues::integer);
    }

    /** A number in {@code [min, max]}, or with {@code positive} a finite number above zero. */
    double doubleIn(String key, double min, double max, boolean positive, Double defaultValue) {
        String expected = positive ? "a positive number" : Expectations.number(min, max);
        return reader.read(key, expected, defaultValue, n -> {
            Double d = ScalarValues.number(n);
            boolean ok = d != null && (positive ? d > 0 && Double.isFinite(d) : d >= min && d <= max && !d.isNaN());
            return ok ? d : null;
        });
    }

    Optional<Double> optionalNumber(String key) {
        return reader.ifPresent(key, "a number",
                () -> doubleIn(key, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false, null));
    }

    boolean bool(String key, Boolean defaultValue) {
        return reader.read(key, "true or false", defaultValue, ScalarValues::bool);
    }

    /** Text of a scalar; numbers and booleans as written. */
    String text(String key, String expected, String defaultValue) {
        return reader.read(key, expected, defaultValue, ScalarValues::text);
    }

    /** As {@link #text}, null when absent. */
    String optionalText(String key, String expected) {
        return reader.readOptional(key, expected, ScalarValues::text);
    }

    String choice(String key, List<String> choices, String defaultValue) {
        String expected = "one of " + String.join(", ", choices);
        return reader.read(key, expected, defaultValue, n -> {
            String s = ScalarValues.text(n);
            if (s != null && !choices.contains(s)) {
                throw reader.errors().wrong(key, expected, n, Suggestions.hint(s, choices));
            }
            return s;
        });
    }

    /** An enum constant, written in lower case ({@code ADAM} is written {@code adam}). */
    <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        Function<E, String> name = e -> e.name().toLowerCase(Locale.ROOT);
        List<String> names = Arrays.stream(type.getEnumConstants()).map(name).toList();
        String s = choice(key, names, defaultValue == null ? null : name.apply(defaultValue));
        return type.getEnumConstants()[names.indexOf(s)];
    }
}
