package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {
    @Test
    void quotesOnlyWhenNeeded() {
        assertEquals("plain", Csv.escape("plain"));
        assertEquals("", Csv.escape(""));
        assertEquals("", Csv.escape(null));
        assertEquals("\"a,b\"", Csv.escape("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.escape("say \"hi\""));
        assertEquals("\"two\nlines\"", Csv.escape("two\nlines"));
        assertEquals("\"cr\rhere\"", Csv.escape("cr\rhere"));
        assertEquals("\" spaces kept \"", Csv.escape(" spaces kept "), "quoted, so readers that trim keep them");
    }

    @Test
    void whatIsWrittenReadsBack() {
        List<String> fields = List.of("a/b c.jpg", "x, y", "say \"hi\"", "two\nlines", " pad ", "#hash", "", "3.5");
        assertEquals(fields, Csv.parse(Csv.line(fields)));
        assertEquals(List.of("a", "b", ""), Csv.parse("a, b ,"), "spaces around unquoted fields are dropped");
    }

    @Test
    void line() {
        assertEquals("a/b.jpg,truncated,\"x, y\",,3", Csv.line(Arrays.asList("a/b.jpg", "truncated", "x, y", null, 3)));
        assertEquals("", Csv.line(List.of()));
    }
}
