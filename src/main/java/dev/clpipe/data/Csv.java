package dev.clpipe.data;

import java.util.List;

/** RFC 4180 CSV: fields with a comma, quote, CR or LF are quoted, quotes doubled (writing and reading one line). */
public final class Csv {
    private Csv() {
    }

    /** One field, quoted only when needed. {@code null} becomes an empty field. */
    public static String escape(String field) {
        if (field == null) {
            return "";
        }
        boolean quote = false;
        for (int i = 0; i < field.length() && !quote; i++) {
            char c = field.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    /** One record without the line terminator. */
    public static String line(List<?> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object f = fields.get(i);
            sb.append(escape(f == null ? null : f.toString()));
        }
        return sb.toString();
    }

    /** The fields of one record (no line breaks inside quoted fields); quotes undone. */
    public static List<String> parse(String line) {
        List<String> fields = new java.util.ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        fields.add(f.toString());
        return fields;
    }
}
