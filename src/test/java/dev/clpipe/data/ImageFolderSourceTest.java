package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderSourceTest {
    @TempDir
    Path root;

    private void touch(String... rels) throws IOException {
        for (String rel : rels) {
            Path p = root.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[] {1});
        }
    }

    private static List<String> names(ImageFolderSource s) {
        return s.stream().map(ImageRef::name).collect(Collectors.toList());
    }

    @Test
    void walksDepthFirstInSortedOrderWithExtensionFilter() throws IOException {
        touch("b/2.png", "b/10.PNG", "a/z.jpg", "a/sub/x.jpeg", "a/sub/y.txt", "top.gif", "a/m.bmp", "c/readme.md",
                "a/.hidden.png", ".git/objects/x.png", "a/noext");
        assertEquals(List.of("a/m.bmp", "a/sub/x.jpeg", "a/z.jpg", "b/10.PNG", "b/2.png", "top.gif"),
                names(ImageFolderSource.of(root)));
        assertEquals(List.of("a/m.bmp", "b/10.PNG", "b/2.png"),
                names(ImageFolderSource.builder(root).extensions(Set.of(".png", "BMP")).build()));
    }

    @Test
    void labelsAreSortedTopLevelFoldersAndFirstPathComponent() throws IOException {
        touch("dog/1.png", "cat/1.png", "cat/deep/er/2.png", "bird/x.png", "loose.png", "empty/readme.txt");
        ImageFolderSource s = ImageFolderSource.builder(root).labels(true).build();
        assertEquals(List.of("bird", "cat", "dog", "empty"), s.labels());
        List<String> got = new ArrayList<>();
        for (ImageRef r : s) {
            got.add(r.name() + "=" + r.label());
            assertEquals(root.toRealPath().resolve(r.relative()), r.absolute());
        }
        assertEquals(List.of("bird/x.png=0", "cat/1.png=1", "cat/deep/er/2.png=1", "dog/1.png=2", "loose.png=-1"), got);
        assertEquals(List.of(), ImageFolderSource.of(root).labels());
        assertTrue(ImageFolderSource.of(root).stream().allMatch(r -> r.label() == -1));
    }

    @Test
    void givenClassListFixesTheLabelIndices() throws IOException {
        touch("dog/1.png", "cat/1.png", "zebra/1.png");
        ImageFolderSource s = ImageFolderSource.builder(root).classes(List.of("dog", "cat")).build();
        assertEquals(List.of("dog", "cat"), s.labels());
        assertEquals(List.of(1, 0, -1), s.stream().map(ImageRef::label).collect(Collectors.toList()));
        assertThrows(IllegalArgumentException.class, () -> ImageFolderSource.builder(root).classes(List.of("a", "a")));
    }

    @Test
    void shardsPartitionTheFilesRoundRobin() throws IOException {
        for (int i = 0; i < 23; i++) {
            touch(String.format("c%d/%02d.png", i % 3, i));
        }
        List<String> all = names(ImageFolderSource.of(root));
        assertEquals(23, all.size());
        List<String> union = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<String> shard = names(ImageFolderSource.builder(root).shard(i, 4).build());
            for (int k = 0; k < shard.size(); k++) {
                assertEquals(all.get(i + 4 * k), shard.get(k), "shard " + i + " item " + k);
            }
            union.addAll(shard);
        }
        assertEquals(new HashSet<>(all), new HashSet<>(union));
        assertEquals(all.size(), union.size());
        assertThrows(IllegalArgumentException.class, () -> ImageFolderSource.builder(root).shard(4, 4));
        assertThrows(IllegalArgumentException.class, () -> ImageFolderSource.builder(root).shard(0, 0));
    }

    @Test
    void eachIteratorWalksAgain() throws IOException {
        touch("a.png", "b.png");
        ImageFolderSource s = ImageFolderSource.of(root);
        assertEquals(names(s), names(s));
    }

    @Test
    void missingRootIsRefused() {
        IOException e = assertThrows(IOException.class, () -> ImageFolderSource.of(root.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void symlinksEscapingTheRootAreSkippedAndReported(@TempDir Path outside) throws IOException {
        touch("in/a.png");
        Path secret = outside.resolve("secret.png");
        Files.write(secret, new byte[] {1});
        Files.createDirectories(outside.resolve("dir"));
        Files.write(outside.resolve("dir/x.png"), new byte[] {1});
        Files.createSymbolicLink(root.resolve("in/escape.png"), secret);
        Files.createSymbolicLink(root.resolve("in/inside.png"), root.resolve("in/a.png"));
        Files.createSymbolicLink(root.resolve("linkdir"), outside.resolve("dir"));
        Files.createSymbolicLink(root.resolve("in/broken.png"), root.resolve("gone.png"));
        SkippedReport report = new SkippedReport();
        ImageFolderSource s = ImageFolderSource.builder(root).skipped(report).build();
        assertEquals(List.of("in/a.png", "in/inside.png"), names(s));
        assertEquals(1L, report.counts().get("symlink_escape"));
        assertEquals(1L, report.counts().get("io_error"));
        assertEquals("in/escape.png", report.entries().stream()
                .filter(e -> e.reason().equals("symlink_escape")).findFirst().orElseThrow().file());
    }

    @Test
    void everyNameTheFilesystemAllowsIsListedOrReported() throws Exception {
        touch("a\\..\\..\\evil.png", "sub\\y.png", "sub/y.png", "new\nline.png", "caf\u00e9.png");
        Process fifo = new ProcessBuilder("mkfifo", root.resolve("pipe.png").toString()).start();
        assertEquals(0, fifo.waitFor());
        // A name whose bytes are not valid UTF-8 (0xff) cannot be written through a Java String.
        Process bad = new ProcessBuilder("sh", "-c", "printf x > \"$0\"/\"$(printf 'bad\\377.png')\"", root.toString()).start();
        assertEquals(0, bad.waitFor());
        SkippedReport report = new SkippedReport();
        List<String> found = names(ImageFolderSource.builder(root).skipped(report).build());
        List<String> expected = new ArrayList<>(List.of("a\\..\\..\\evil.png", "new\nline.png", "sub/y.png", "sub\\y.png"));
        boolean utf8Names = "UTF-8".equals(System.getProperty("sun.jnu.encoding"));
        if (utf8Names) expected.add(1, "caf\u00e9.png");
        assertEquals(expected, found);
        assertEquals(1L, report.counts().get("not_regular_file"), report.entries().toString());
        assertEquals(utf8Names ? 1L : 2L, report.counts().get("invalid_name"), report.entries().toString());
        assertTrue(report.entries().stream().anyMatch(e -> e.file().equals("bad%FF.png")), report.entries().toString());
    }

    @Test
    void streamsLazilyFolderByFolder() throws IOException {
        touch("a/first.png");
        Path big = root.resolve("b");
        Files.createDirectories(big);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            Files.createFile(big.resolve(String.format("%05d.png", i)));
        }
        Iterator<ImageRef> it = ImageFolderSource.of(root).iterator();
        long t0 = System.nanoTime();
        assertTrue(it.hasNext());
        assertEquals("a/first.png", it.next().name());
        long firstMs = (System.nanoTime() - t0) / 1_000_000;
        // Folder b has not been listed yet: a file created now is still seen.
        Files.createFile(big.resolve("99999.png"));
        long count = 0;
        String last = null;
        while (it.hasNext()) {
            last = it.next().name();
            count++;
        }
        assertEquals(n + 1, count);
        assertEquals("b/99999.png", last);
        assertTrue(firstMs < 1000, "first element took " + firstMs + " ms");
        assertFalse(it.hasNext());
    }
}
