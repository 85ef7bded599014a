package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkippedReportTest {
    @TempDir
    Path dir;

    @Test
    void countsPerReasonFromManyThreads() throws Exception {
        SkippedReport r = new SkippedReport();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 1000; i++) {
                    r.add("f" + i, i % 2 == 0 ? RejectReason.TRUNCATED : RejectReason.EMPTY, "m");
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(4000, r.size());
        assertEquals(4000, r.entries().size());
        assertEquals(Map.of("empty", 2000L, "truncated", 2000L), r.counts());
        assertEquals("4000 skipped (empty=2000, truncated=2000)", r.summary());
    }

    @Test
    void writesEscapedCsvAndReplacesAnOldOne() throws Exception {
        SkippedReport r = new SkippedReport();
        Path csv = dir.resolve("skipped.csv");
        Files.writeString(csv, "old");
        r.add(new ImageRejectedException("dir, with comma/a.jpg", RejectReason.NOT_IMAGE, "said \"hello\"\nthen left"));
        r.add("b.png", "custom_code", "fine");
        r.writeCsv(csv);
        String text = Files.readString(csv);
        assertEquals("file,reason,message\n"
                + "\"dir, with comma/a.jpg\",not_image,\"said \"\"hello\"\"\nthen left\"\n"
                + "b.png,custom_code,fine\n", text);
        assertEquals(List.of("skipped.csv"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void emptyReportStillWritesHeader() throws Exception {
        SkippedReport r = new SkippedReport();
        r.writeCsv(dir.resolve("s.csv"));
        assertEquals("file,reason,message\n", Files.readString(dir.resolve("s.csv")));
        assertEquals("0 skipped", r.summary());
        assertTrue(r.isEmpty());
    }
}
