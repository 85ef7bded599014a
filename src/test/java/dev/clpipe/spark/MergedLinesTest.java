package dev.clpipe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.clpipe.data.CsvSink;
import dev.clpipe.data.JsonlSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two executors (two staging folders of one run) append detections.jsonl lines of interleaved
 * images batch by batch: no file is moved over another, and the merged file lists every image's
 * lines in index order, whatever order the batches finished in.
 */
class MergedLinesTest {
    @TempDir
    Path run;

    @Test
    void linesOfTwoExecutorsAreMergedInIndexOrderAndNeverMoved() throws Exception {
        StagingFolder a = StagingFolder.create(run), b = StagingFolder.create(run);
        StagedLines aLines = stagedWithSink(a), bLines = stagedWithSink(b);
        List<LinePart> parts = new ArrayList<>();
        try (JsonlSink aSink = new JsonlSink(a.runFolder().file("detections.jsonl"));
             JsonlSink bSink = new JsonlSink(b.runFolder().file("detections.jsonl"))) {
            // executor b finishes its batch (images 3 and 1) before a finishes its (images 2 and 0)
            batch(bSink, bLines, parts, 3, 1);
            b.publish(bLines::isMerged);
            batch(aSink, aLines, parts, 2, 0);
            aSink.write(Map.of("image", "img4.jpg")); // a failed batch's line: taken (and dropped) once, never given to the next
            assertEquals(List.of("{\"image\":\"img4.jpg\"}"), aLines.take(0).get("detections.jsonl"));
            assertEquals(Map.of(), aLines.take(0), "lines are taken once");
            a.publish(aLines::isMerged);
        }
        assertFalse(Files.exists(run.resolve("detections.jsonl")), "a shared per-run file is never moved into the run folder");
        assertEquals(List.of("detections.jsonl"), MergedLines.write(parts, run));
        assertEquals("""
                {"image":"img0.jpg","n":0}
                {"image":"img0.jpg","n":1}
                {"image":"img1.jpg","n":0}
                {"image":"img1.jpg","n":1}
                {"image":"img2.jpg","n":0}
                {"image":"img2.jpg","n":1}
                {"image":"img3.jpg","n":0}
                {"image":"img3.jpg","n":1}
                """, Files.readString(run.resolve("detections.jsonl")));
    }

    /**
     * faces-rejected.csv (a CsvSink, committed only when its stage closes): two executors' rows are
     * taken as written, a failed batch's rows are dropped, the header is written once, the closed
     * staging copies are never moved over the run folder's merged file, and a file no row reached
     * still gets its header.
     */
    @Test
    void csvRowsOfTwoExecutorsAreMergedUnderOneHeader() throws Exception {
        StagingFolder a = StagingFolder.create(run), b = StagingFolder.create(run);
        StagedLines aLines = new StagedLines(a.runFolder().path()), bLines = new StagedLines(b.runFolder().path());
        List<String> header = List.of("image", "reason");
        List<LinePart> parts = new ArrayList<>();
        try (CsvSink aCsv = csvOpened(aLines, a, header); CsvSink bCsv = csvOpened(bLines, b, header)) {
            bCsv.row("img3.jpg", "small");
            bCsv.row("img1.jpg", "small, blurred");
            rows(bLines, parts, 3, 1);
            aCsv.row("img2.jpg", "small");
            rows(aLines, parts, 2);
            aCsv.row("img9.jpg", "from a failed batch");
            assertEquals(List.of("img9.jpg,from a failed batch"), aLines.take(0).get("faces-rejected.csv"));
            for (StagedLines l : List.of(aLines, bLines)) {
                l.headers().forEach((f, h) -> parts.add(new LinePart(MergedLines.HEADER, f, List.of(h))));
            }
        }
        a.publish(aLines::isMerged);
        b.publish(bLines::isMerged);
        assertFalse(Files.exists(run.resolve("faces-rejected.csv")), "an executor's closed CSV is never moved into the run folder");
        MergedLines.write(parts, run);
        assertEquals("image,reason\nimg1.jpg,\"small, blurred\"\nimg2.jpg,small\nimg3.jpg,small\n",
                Files.readString(run.resolve("faces-rejected.csv")));

        Path empty = run.resolve("empty");
        MergedLines.write(List.of(new LinePart(MergedLines.HEADER, "faces-rejected.csv", List.of("image,reason"))), empty);
        assertEquals("image,reason\n", Files.readString(empty.resolve("faces-rejected.csv")));
    }

    private static CsvSink csvOpened(StagedLines lines, StagingFolder staging, List<String> header) throws Exception {
        var before = lines.current();
        CsvSink sink = new CsvSink(staging.runFolder().file("faces-rejected.csv"), header, true, lines);
        lines.opened(before);
        return sink;
    }

    /** The rows one batch wrote, one per image in the given order, kept as parts keyed by the image's index. */
    private static void rows(StagedLines lines, List<LinePart> parts, int... images) throws Exception {
        List<String> written = lines.take(0).get("faces-rejected.csv");
        assertEquals(images.length, written.size());
        for (int k = 0; k < images.length; k++) parts.add(new LinePart(images[k], "faces-rejected.csv", List.of(written.get(k))));
    }

    /** The staging folder's lines after its detections.jsonl sink was opened, as an executor's stage 0 opens it. */
    private static StagedLines stagedWithSink(StagingFolder staging) throws Exception {
        StagedLines lines = new StagedLines(staging.runFolder().path());
        var before = lines.current();
        new JsonlSink(staging.runFolder().file("detections.jsonl")).close();
        lines.opened(before);
        return lines;
    }

    /** One batch: two lines per image, read back and kept as parts keyed by the image's index. */
    private static void batch(JsonlSink sink, StagedLines lines, List<LinePart> parts, int... images) throws Exception {
        for (int i : images) {
            for (int n = 0; n < 2; n++) {
                Map<String, Object> line = new java.util.LinkedHashMap<>();
                line.put("image", "img" + i + ".jpg");
                line.put("n", n);
                sink.write(line);
            }
        }
        List<String> written = lines.take(0).get("detections.jsonl");
        for (int k = 0; k < images.length; k++) parts.add(new LinePart(images[k], "detections.jsonl", written.subList(2 * k, 2 * k + 2)));
    }
}
