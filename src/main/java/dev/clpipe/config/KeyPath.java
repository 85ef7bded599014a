package dev.clpipe.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed override path such as {@code train.lr}, {@code stages.0.lr} or {@code stages[train].lr}.
 * A segment addressing a list is an index when it is all digits, otherwise the {@code id} of an item.
 */
public record KeyPath(List<String> segments) {

    public KeyPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("empty key path");
        }
    }

    /** Parses {@code a.b[c].d}; throws IllegalArgumentException with the reason when malformed. */
    public static KeyPath parse(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int i = 0;
        boolean afterBracket = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.') {
                if (!afterBracket) {
                    addSegment(out, cur, text);
                }
                afterBracket = false;
                i++;
                if (i == text.length()) {
                    throw new IllegalArgumentException("key path '" + text + "' ends with '.'");
                }
            } else if (c == '[') {
                if (!afterBracket) {
                    addSegment(out, cur, text);
                }
                int close = text.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("key path '" + text + "' has '[' without ']'");
                }
                cur.append(text, i + 1, close);
                addSegment(out, cur, text);
                afterBracket = true;
                i = close + 1;
                if (i < text.length() && text.charAt(i) != '.' && text.charAt(i) != '[') {
                    throw new IllegalArgumentException("key path '" + text + "': expected '.' or '[' after ']'");
                }
            } else if (c == ']') {
                throw new IllegalArgumentException("key path '" + text + "' has ']' without '['");
            } else {
                cur.append(c);
                i++;
            }
        }
        if (!afterBracket) {
            addSegment(out, cur, text);
        }
        return new KeyPath(out);
    }

    private static void addSegment(List<String> out, StringBuilder cur, String text) {
        String s = cur.toString().trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("key path '" + text + "' has an empty part");
        }
        out.add(s);
        cur.setLength(0);
    }

    static boolean isIndex(String segment) {
        return !segment.isEmpty() && segment.chars().allMatch(Character::isDigit) && segment.length() < 10;
    }

    @Override
    public String toString() {
        return String.join(".", segments);
    }
}
