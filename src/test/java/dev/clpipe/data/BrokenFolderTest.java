package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: walk a generated folder, decode everything, check each file's fate. */
class BrokenFolderTest {
    @TempDir
    Path dir;

    @Test
    void everyGoodImageDecodesAndEveryBrokenOneIsReportedWithItsReason() throws Exception {
        Map<String, String> expected = TestDataGenerator.generate(dir, 12);
        SkippedReport report = new SkippedReport();
        ImageDecoder decoder = new ImageDecoder();
        Map<String, String> actual = new TreeMap<>();
        for (ImageRef ref : ImageFolderSource.of(dir)) {
            try {
                DecodedImage d = decoder.decode(ref);
                assertTrue(d.image().width() > 0);
                actual.put(ref.name(), null);
            } catch (ImageRejectedException e) {
                report.add(e);
                actual.put(ref.name(), e.reason().code());
                assertTrue(e.getMessage().startsWith(ref.name() + ": "), e.getMessage());
            }
        }
        assertEquals(expected, actual);

        Path csv = dir.resolve("skipped.csv");
        report.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("file,reason,message", lines.get(0));
        long bad = expected.values().stream().filter(v -> v != null).count();
        assertEquals(bad, report.size());
        assertEquals(bad + 1, lines.size(), "one line per skipped file (messages must not break lines)");
        assertEquals(2L, report.counts().get("not_image"));
    }
}
