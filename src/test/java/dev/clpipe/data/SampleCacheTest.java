package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decoded-sample cache: miss, hit, stale and damaged shards, refused files, converted samples. */
class SampleCacheTest {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);
    private static final SampleFormat GREY8 = new SampleFormat(8, 8, 1);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    private record Opened(CachedSamples samples, List<String> warnings, SkippedReport skipped) {}

    private static Opened open(Path data, Path cache) throws IOException {
        LabelledFolder f = LabelledFolder.classPerFolder(data, null, ImageFolderSource.DEFAULT_EXTENSIONS, new SkippedReport());
        List<String> warnings = new ArrayList<>();
        SkippedReport skipped = new SkippedReport();
        CachedSamples s = new SampleCache(cache, "train", data, GREY8, new ImageDecoder(), POOL, 4).open(f, skipped, warnings::add);
        return new Opened(s, warnings, skipped);
    }

    @Test
    void buildsOnceThenReusesAndRebuildsOnlyStaleOrDamagedShards(@TempDir Path dir) throws IOException {
        Path data = TinyLabelledFolder.write(dir.resolve("data"), 5, 1), cache = dir.resolve("cache");
        Opened first = open(data, cache);
        SampleCache.Report r = first.samples().report();
        assertEquals(4, r.shards(), "16 files in shards of 4");
        assertEquals(4, r.built());
        assertEquals(15, first.samples().count(), "the corrupt file is left out");
        assertEquals(1, first.skipped().size());
        assertEquals("top/bad.png", first.skipped().entries().get(0).file());
        assertEquals("not_image", first.skipped().entries().get(0).reason());
        List<Byte> reference = bytesOf(first.samples()); // now: a later test edits the shard file in place, which the old mapping would see

        Opened hit = open(data, cache);
        assertEquals(4, hit.samples().report().reused());
        assertEquals(List.of(), hit.warnings());
        assertEquals(1, hit.skipped().size(), "a reused shard still reports its refused file");
        assertEquals(reference, bytesOf(hit.samples()));

        Path changed = data.resolve("left/left1.jpg");
        Files.setLastModifiedTime(changed, FileTime.fromMillis(Files.getLastModifiedTime(changed).toMillis() + 5000));
        Opened stale = open(data, cache);
        assertEquals(1, stale.samples().report().stale());
        assertEquals(3, stale.samples().report().reused());
        assertTrue(stale.warnings().get(0).contains("stale"), stale.warnings().toString());

        Path shard = r.folder().resolve("shard-00002.bin");
        byte[] b = Files.readAllBytes(shard);
        b[17] ^= 0x55;
        Files.write(shard, b);
        Opened damaged = open(data, cache);
        assertEquals(1, damaged.samples().report().damaged());
        assertTrue(damaged.warnings().get(0).contains("damaged"), damaged.warnings().toString());
        assertEquals(reference, bytesOf(damaged.samples()), "rebuilt bytes equal the first build");

        Files.writeString(r.folder().resolve("manifest.json"), "{\"format\": \"clpipe-sample-cache/0\", \"sample_format\": \"8x8x1\", \"samples_per_shard\": 4, \"shards\": []}");
        Opened other = open(data, cache);
        assertEquals(4, other.samples().report().built());
        assertTrue(other.warnings().get(0).contains("another version"), other.warnings().toString());
    }

    @Test
    void greyRgbaAndOddSizedImagesBecomeSamplesOfTheFormat(@TempDir Path dir) throws IOException {
        Path data = TinyLabelledFolder.write(dir.resolve("data"), 3, 2);
        CachedSamples s = open(data, dir.resolve("cache")).samples();
        ByteBuffer one = ByteBuffer.allocate(64);
        for (int i = 0; i < s.count(); i++) {
            s.copy(i, one, 0);
            String cls = s.classes().get(s.labels()[i]);
            int topMean = 0, bottomMean = 0;
            for (int p = 0; p < 32; p++) topMean += one.get(p) & 0xFF;
            for (int p = 32; p < 64; p++) bottomMean += one.get(p) & 0xFF;
            if (cls.equals("top")) assertTrue(topMean > bottomMean + 32 * 100, s.file(i));
            if (cls.equals("bottom")) assertTrue(bottomMean > topMean + 32 * 100, s.file(i));
        }
    }

    private static List<Byte> bytesOf(CachedSamples s) {
        List<Byte> out = new ArrayList<>();
        ByteBuffer one = ByteBuffer.allocate(s.format().bytes());
        for (int i = 0; i < s.count(); i++) {
            s.copy(i, one, 0);
            for (int k = 0; k < one.capacity(); k++) out.add(one.get(k));
        }
        return out;
    }
}
