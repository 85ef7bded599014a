package dev.clpipe.config;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Types plain YAML scalars by the YAML 1.2 core schema: {@code yes}/{@code on} stay strings,
 * dates stay strings, {@code 0x1F} and {@code 0o17} are integers, {@code .inf} is a float.
 */
final class ScalarParser {

    private static final Set<String> NULLS = Set.of("", "~", "null", "Null", "NULL");
    private static final Set<String> TRUES = Set.of("true", "True", "TRUE");
    private static final Set<String> FALSES = Set.of("false", "False", "FALSE");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern OCTAL = Pattern.compile("0o[0-7]+");
    private static final Pattern FLOAT =
            Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern INF = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
    private static final Pattern NAN = Pattern.compile("\\.(nan|NaN|NAN)");

    private ScalarParser() {
    }

    /** The typed value of a plain (unquoted, untagged) scalar. */
    static Object plain(String text) {
        if (NULLS.contains(text)) {
            return null;
        }
        Object b = bool(text);
        if (b != null) {
            return b;
        }
        Object i = integer(text);
        if (i != null) {
            return i;
        }
        Double d = floating(text);
        return d != null ? d : text;
    }

    static Boolean bool(String text) {
        if (TRUES.contains(text)) {
            return Boolean.TRUE;
        }
        return FALSES.contains(text) ? Boolean.FALSE : null;
    }

    /** A Long, or a Double when the integer is too large for a long; null if not an integer. */
    static Object integer(String text) {
        try {
            if (DECIMAL.matcher(text).matches()) {
                return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
            }
            if (HEX.matcher(text).matches()) {
                return Long.parseLong(text.substring(2), 16);
            }
            if (OCTAL.matcher(text).matches()) {
                return Long.parseLong(text.substring(2), 8);
            }
        } catch (NumberFormatException tooLarge) {
            return DECIMAL.matcher(text).matches() ? Double.parseDouble(text) : null;
        }
        return null;
    }

    static Double floating(String text) {
        if (FLOAT.matcher(text).matches()) {
            return Double.parseDouble(text);
        }
        if (INF.matcher(text).matches()) {
            return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return NAN.matcher(text).matches() ? Double.NaN : null;
    }

    static boolean isNull(String text) {
        return NULLS.contains(text);
    }
}
