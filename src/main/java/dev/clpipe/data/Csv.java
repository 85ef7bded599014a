package dev.clpipe.data;

import java.util.List;

/** RFC 4180 CSV formatting: fields with a comma, quote, CR or LF are quoted, quotes doubled. */
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
}
