package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinksTest {
    @TempDir
    Path dir;

    private List<String> filesIn(Path d) throws IOException {
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).map(p -> d.relativize(p).toString().replace('\\', '/')).sorted()
                    .collect(Collectors.toList());
        }
    }

    // ---- AtomicFiles

    @Test
    void atomicWriteLeavesNoTempFileAndNeverOverwritesUnlessAsked() throws IOException {
        Path f = dir.resolve("sub/out.bin");
        AtomicFiles.write(f, false, new byte[] {1, 2});
        assertThrows(FileAlreadyExistsException.class, () -> AtomicFiles.write(f, false, new byte[] {3}));
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(f));
        AtomicFiles.write(f, true, new byte[] {3});
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(f));
        assertEquals(List.of("sub/out.bin"), filesIn(dir));
    }

    @Test
    void outputsHonourTheUmaskLikeAnyNewFile() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain.bin")); // what the umask gives a new file (0644 on a default system)
        Path atomic = dir.resolve("atomic.bin");
        AtomicFiles.write(atomic, false, new byte[] {1});
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
        try (CsvSink csv = new CsvSink(dir.resolve("t.csv"), List.of("a"), false)) {
            csv.row("1");
        }
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(dir.resolve("t.csv")));
    }

    @Test
    void staleTempFilesOfAKilledWriterAreRemovedAndNothingElse() throws IOException {
        Files.createDirectories(dir.resolve("images/sub"));
        Path stale = Files.write(dir.resolve("images/sub/.dog.jpg.png.k3j2h1.tmp"), new byte[] {1});
        Path keep = Files.write(dir.resolve("images/sub/dog.jpg.png"), new byte[] {2});
        Path hidden = Files.write(dir.resolve(".lock"), new byte[] {3});
        Path oddName = Files.write(dir.resolve("notes.tmp"), new byte[] {4});
        assertEquals(1, AtomicFiles.removeStaleTemps(dir));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(keep) && Files.exists(hidden) && Files.exists(oddName));
    }

    @Test
    void failedWriteLeavesTargetUntouchedAndNoTempFile() throws IOException {
        Path f = dir.resolve("out.bin");
        Files.write(f, new byte[] {9});
        assertThrows(IOException.class, () -> AtomicFiles.write(f, true, out -> {
            out.write(new byte[] {1, 2, 3});
            throw new IOException("disk on fire");
        }));
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(f));
        assertEquals(List.of("out.bin"), filesIn(dir));
    }

    // ---- ImageSink

    @Test
    void imageSinkWritesPngThatDecodesToTheSamePixels() throws Exception {
        ImageSink sink = ImageSink.png(dir.resolve("out"));
        ImageData img = TestImages.pattern(9, 5, 4);
        Path written = sink.write(Path.of("cat", "a.bmp"), img);
        assertEquals(dir.resolve("out/cat/a.png").toAbsolutePath(), written);
        assertEquals(img, new ImageDecoder().decodeImage(written));
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> sink.write(Path.of("cat/a.png"), TestImages.pattern(2, 2, 3)));
        assertTrue(e.getMessage().contains("a.png"), e.getMessage());
        assertEquals(img, new ImageDecoder().decodeImage(written), "existing file must be untouched");
        assertEquals(List.of("cat/a.png"), filesIn(dir.resolve("out")));
    }

    @Test
    void imageSinkJpegQualityAndOverwrite() throws Exception {
        ImageData img = TestImages.pattern(64, 64, 4);
        ImageSink low = new ImageSink(dir, ImageSink.Format.JPEG, 0.1f, true);
        ImageSink high = new ImageSink(dir.resolve("hi"), ImageSink.Format.parse("JPEG"), 0.95f, false);
        Path a = low.write(Path.of("x.png"), img);
        Path b = high.write(Path.of("x"), img);
        assertEquals("x.jpg", a.getFileName().toString());
        assertTrue(Files.size(a) < Files.size(b), "quality 0.1 must give a smaller file than 0.95");
        DecodedImage d = new ImageDecoder().decode(b);
        assertEquals(ImageFormat.JPEG, d.format());
        assertEquals(3, d.image().channels(), "JPEG drops alpha");
        low.write(Path.of("x.png"), TestImages.pattern(8, 8, 3)); // overwrite allowed
        assertEquals(8, new ImageDecoder().decodeImage(a).width());
    }

    @Test
    void imageSinkRefusesPathsLeavingItsFolder() {
        ImageSink sink = ImageSink.png(dir.resolve("out"));
        ImageData img = TestImages.pattern(2, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> sink.write(Path.of("../evil.png"), img));
        assertThrows(IllegalArgumentException.class, () -> sink.write(Path.of("a/../../evil.png"), img));
        assertThrows(IllegalArgumentException.class, () -> new ImageSink(dir, ImageSink.Format.JPEG, 0f, false));
        assertThrows(IllegalArgumentException.class, () -> ImageSink.Format.parse("tiff"));
    }

    // ---- CsvSink

    @Test
    void csvSinkAppearsOnlyOnCloseAndEscapes() throws IOException {
        Path f = dir.resolve("clusters.csv");
        try (CsvSink sink = new CsvSink(f, List.of("image", "face", "cluster"), false)) {
            sink.row("a,b.jpg", 0, -1);
            sink.row("q\"uote.jpg", 1, 3);
            assertFalse(Files.exists(f), "target must not exist before commit");
            assertThrows(IllegalArgumentException.class, () -> sink.row("too", "few"));
            assertEquals(2, sink.rows());
        }
        assertEquals("image,face,cluster\n\"a,b.jpg\",0,-1\n\"q\"\"uote.jpg\",1,3\n", Files.readString(f));
        assertEquals(List.of("clusters.csv"), filesIn(dir));
    }

    @Test
    void csvSinkRefusesExistingFileAndAbortLeavesNothing() throws IOException {
        Path f = dir.resolve("x.csv");
        Files.writeString(f, "keep");
        assertThrows(FileAlreadyExistsException.class, () -> new CsvSink(f, List.of("a"), false));
        CsvSink s = new CsvSink(dir.resolve("y.csv"), List.of("a"), false);
        s.row("1");
        s.abort();
        s.close();
        assertEquals(List.of("x.csv"), filesIn(dir));
        try (CsvSink o = new CsvSink(f, List.of("a"), true)) {
            o.row("2");
        }
        assertEquals("a\n2\n", Files.readString(f));
    }

    // ---- JsonlSink

    @Test
    void jsonlLinesAreVisibleImmediatelyAndReopeningAppends() throws IOException {
        Path f = dir.resolve("runs/detections.jsonl");
        try (JsonlSink s = new JsonlSink(f)) {
            s.write(Map.of("image", "a.jpg", "width", 3));
            // no flush or close: the line is already in the file
            assertEquals(1, Files.readAllLines(f).size());
        }
        try (JsonlSink s = new JsonlSink(f)) {
            s.write(new Detection("b.jpg", List.of(1.5, 2.0)));
            assertEquals(0, s.droppedBytes());
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(2, lines.size());
        ObjectMapper m = new ObjectMapper();
        assertEquals("a.jpg", m.readTree(lines.get(0)).get("image").asText());
        JsonNode second = m.readTree(lines.get(1));
        assertEquals("b.jpg", second.get("image").asText());
        assertEquals(2.0, second.get("box").get(1).asDouble());
    }

    record Detection(String image, List<Double> box) {
    }

    @Test
    void reopeningDropsALineCutShortByACrash() throws IOException {
        Path f = dir.resolve("faces.jsonl");
        Files.writeString(f, "{\"face\":0}\n{\"face\":1,\"embe", StandardCharsets.UTF_8);
        try (JsonlSink s = new JsonlSink(f)) {
            assertEquals(15, s.droppedBytes());
            s.write(Map.of("face", 1));
        }
        assertEquals(List.of("{\"face\":0}", "{\"face\":1}"), Files.readAllLines(f));
        Path g = dir.resolve("only-partial.jsonl");
        Files.writeString(g, "{\"cut");
        try (JsonlSink s = new JsonlSink(g)) {
            assertEquals(5, s.droppedBytes());
        }
        assertEquals(0, Files.size(g));
        Path h = dir.resolve("long-partial.jsonl"); // partial line longer than one scan block
        Files.writeString(h, "{\"a\":1}\n" + "x".repeat(20_000));
        try (JsonlSink s = new JsonlSink(h)) {
            assertEquals(20_000, s.droppedBytes());
        }
        assertEquals("{\"a\":1}\n", Files.readString(h));
    }

    @Test
    void aResumedSinkDropsTheLinesOfUnfinishedItemsSoEachItemHasOneLine() throws IOException {
        Path f = dir.resolve("predictions.jsonl");
        Files.writeString(f, "{\"image\":\"a.png\",\"class\":1}\n{\"image\":\"b.png\",\"class\":2}\n{\"image\":\"c.p");
        try (JsonlSink sink = JsonlSink.resuming(f, Set.of("a.png")::contains)) {
            sink.write(Map.of("image", "b.png"));
            sink.write(Map.of("image", "c.png"));
        }
        assertEquals(List.of("{\"image\":\"a.png\",\"class\":1}", "{\"image\":\"b.png\"}", "{\"image\":\"c.png\"}"),
                Files.readAllLines(f));
    }

    @Test
    void concurrentWritersNeverInterleaveLines() throws Exception {
        Path f = dir.resolve("c.jsonl");
        try (JsonlSink s = new JsonlSink(f)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            for (int t = 0; t < 4; t++) {
                int tt = t;
                pool.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        s.write(Map.of("t", tt, "i", i, "pad", "x".repeat(200)));
                    }
                    return null;
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
            assertEquals(1000, s.lines());
        }
        ObjectMapper m = new ObjectMapper();
        Set<String> seen = new HashSet<>();
        for (String line : Files.readAllLines(f)) {
            JsonNode n = m.readTree(line);
            seen.add(n.get("t").asInt() + "/" + n.get("i").asInt());
        }
        assertEquals(1000, seen.size());
    }
}
