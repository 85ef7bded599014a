package dev.clpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void aKnownTotalGivesABarPercentRateAndEta() {
        Progress p = new Progress("decode", OptionalLong.of(10_000), false);
        assertEquals("decode [##########--------------]  45% 4,500/10,000  900.0/s  ETA 6s", p.line(4500, 5.0, 10_000));
    }

    @Test
    void anUnknownTotalGivesCountRateAndElapsedTime() {
        Progress p = new Progress("read", OptionalLong.empty(), false);
        assertEquals("read 1,234  12.3/s  1m40s", p.line(1234, 100.0, -1));
    }

    @Test
    void aTerminalBarIsRedrawnInPlaceAndEndsWithTheTotal() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Progress p = new Progress("convert", OptionalLong.empty(), new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        p.advance(3);
        p.setTotal(5); // the walk ended: 5 items in all
        p.advance(2);
        p.finish();
        String out = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        String last = out.substring(out.lastIndexOf('\r') + 1);
        assertEquals(true, last.startsWith("convert [########################] 100% 5/5"), out);
        assertEquals(true, last.endsWith("\u001b[K\n"), "each redraw clears what a longer line left: " + out);
    }

    @Test
    void durationsReadNaturally() {
        assertEquals("59s", Progress.duration(59.4));
        assertEquals("2m05s", Progress.duration(125));
        assertEquals("3h07m", Progress.duration(3 * 3600 + 7 * 60 + 30));
    }
}
