package dev.clpipe.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * The one CSV dialect clpipe writes and reads (Apache Commons CSV): RFC 4180, LF line ends, a
 * field quoted only when it holds a comma, quote, CR or LF (quotes doubled), null written empty.
 */
public final class Csv {
    /** Writing: every file clpipe writes (skipped.csv, clusters.csv, predictions.csv, ...). */
    public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').setQuoteMode(QuoteMode.MINIMAL)
            .setNullString("").get();
    /** Reading: the same dialect, tolerant of CRLF and surrounding spaces in hand-written files. */
    private static final CSVFormat READ = CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(true).get();

    private Csv() {
    }

    /** One field, quoted only when needed. {@code null} becomes an empty field. */
    public static String escape(String field) {
        if (field == null || field.isEmpty()) return ""; // Commons CSV would write "" for a lone empty field
        return line(List.of(field));
    }

    /** One record without the line terminator. */
    public static String line(List<?> fields) {
        if (fields.isEmpty()) return "";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) out.append(',');
            Object f = fields.get(i);
            String text = f == null ? "" : f.toString();
            if (!text.isEmpty()) {
                try {
                    FORMAT.print(text, out, true); // one value as its own record: quoted by Commons CSV's MINIMAL rule
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // a StringBuilder does not throw
                }
            }
        }
        return out.toString();
    }

    /** The fields of one record; quotes undone, spaces around fields dropped. */
    public static List<String> parse(String line) {
        try (CSVParser parser = CSVParser.parse(line, READ)) {
            List<CSVRecord> records = parser.getRecords();
            if (records.isEmpty()) return new ArrayList<>(List.of(""));
            return new ArrayList<>(records.get(0).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
