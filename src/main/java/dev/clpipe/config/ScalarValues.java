package dev.clpipe.config;

/**
 * The typed value of a node, or null when the node is not of that type; shared by single values
 * and list items so both accept exactly the same spellings.
 */
final class ScalarValues {

    private ScalarValues() {
    }

    /** An integer (YAML int that fits a long). */
    static Long integer(ConfigNode n) {
        return n instanceof ConfigScalar s && s.value() instanceof Long l ? l : null;
    }

    /** An integer that fits {@code [min, max]}. */
    static Integer intIn(ConfigNode n, int min, int max) {
        Long l = integer(n);
        return l != null && l >= min && l <= max ? l.intValue() : null;
    }

    /** Any number, integer or float. */
    static Double number(ConfigNode n) {
        return n instanceof ConfigScalar s && s.value() instanceof Number d ? d.doubleValue() : null;
    }

    static Boolean bool(ConfigNode n) {
        return n instanceof ConfigScalar s && s.value() instanceof Boolean b ? b : null;
    }

    /** Text of a non-null scalar (numbers and booleans as written); null for maps, lists and null. */
    static String text(ConfigNode n) {
        if (n instanceof ConfigScalar s && !s.isNull()) {
            return s.value() instanceof String str ? str : s.text();
        }
        return null;
    }
}
