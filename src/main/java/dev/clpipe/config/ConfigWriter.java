package dev.clpipe.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a config tree as block-style YAML in the tree's key order, deterministically, so a
 * run folder's {@code config.yaml} reads back to the same values. Strings that would read back
 * as something else are double-quoted.
 */
public final class ConfigWriter {

    private static final Pattern PLAIN_SAFE = Pattern.compile("[A-Za-z0-9_./~+(][A-Za-z0-9_./~+()=:@ -]*");

    private ConfigWriter() {
    }

    public static String toYaml(ConfigNode node) {
        StringBuilder out = new StringBuilder();
        if (node instanceof ConfigMap map && !map.entries().isEmpty()) {
            writeMap(map, 0, out);
        } else if (node instanceof ConfigList list && !list.items().isEmpty()) {
            writeList(list, 0, out);
        } else {
            out.append(inline(node)).append('\n');
        }
        return out.toString();
    }

    private static void writeMap(ConfigMap map, int indent, StringBuilder out) {
        for (Map.Entry<String, ConfigNode> e : map.entries().entrySet()) {
            out.append(" ".repeat(indent)).append(string(e.getKey())).append(':');
            writeValue(e.getValue(), indent + 2, out);
        }
    }

    private static void writeList(ConfigList list, int indent, StringBuilder out) {
        for (ConfigNode item : list.items()) {
            out.append(" ".repeat(indent)).append('-');
            if (item instanceof ConfigMap m && !m.entries().isEmpty()) {
                // first key on the dash line, the rest aligned under it
                StringBuilder nested = new StringBuilder();
                writeMap(m, indent + 2, nested);
                out.append(' ').append(nested.substring(indent + 2));
            } else {
                writeValue(item, indent + 2, out);
            }
        }
    }

    private static void writeValue(ConfigNode value, int indent, StringBuilder out) {
        if (value instanceof ConfigMap m && !m.entries().isEmpty()) {
            out.append('\n');
            writeMap(m, indent, out);
        } else if (value instanceof ConfigList l && !l.items().isEmpty()) {
            out.append('\n');
            writeList(l, indent, out);
        } else {
            out.append(' ').append(inline(value)).append('\n');
        }
    }

    private static String inline(ConfigNode node) {
        if (node instanceof ConfigMap) {
            return "{}";
        }
        if (node instanceof ConfigList) {
            return "[]";
        }
        Object v = ((ConfigScalar) node).value();
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            return d.isNaN() ? ".nan" : d.isInfinite() ? (d > 0 ? ".inf" : "-.inf") : d.toString();
        }
        if (v instanceof String s) {
            return string(s);
        }
        return v.toString();
    }

    /** Plain when it reads back as the same string, otherwise double-quoted with escapes. */
    static String string(String s) {
        if (PLAIN_SAFE.matcher(s).matches() && !s.endsWith(" ") && !s.contains(": ") && !s.endsWith(":")
                && !s.contains(" #") && s.equals(ScalarParser.plain(s)) && !looksLikeYaml11(s)) {
            return s;
        }
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        q.append(String.format("\\x%02x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    /** Words other YAML readers (1.1) would take as booleans; quoted for their sake. */
    private static boolean looksLikeYaml11(String s) {
        return s.matches("(?i)y|n|yes|no|on|off|[-+]?[0-9][0-9_:.]*");
    }
}
