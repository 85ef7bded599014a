package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.clpipe.augment.AugmentConfig;
import dev.clpipe.augment.CentreCropSpec;
import dev.clpipe.augment.CropSpec;
import dev.clpipe.augment.ImageBatch;
import dev.clpipe.augment.MirrorSpec;
import dev.clpipe.augment.Range;
import dev.clpipe.augment.ReferenceAugmenter;
import dev.clpipe.augment.RotateSpec;
import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.data.CachedSamples;
import dev.clpipe.data.ImageDecoder;
import dev.clpipe.data.ImageFolderSource;
import dev.clpipe.data.LabelledFolder;
import dev.clpipe.data.SampleCache;
import dev.clpipe.data.SampleFormat;
import dev.clpipe.data.SkippedReport;
import dev.clpipe.data.TinyLabelledFolder;
import dev.clpipe.testing.TestDevices;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches streamed from the sample cache (prefetched, uploaded asynchronously) equal the batches
 * of the same samples held on the device ({@link DeviceDataset}): shuffled training order, then
 * the sequential evaluation order with a short last batch, and a jump that misses the prefetch.
 * Through a view, every batch holds the augment twin's bytes for (seed, epoch, sample index), and a
 * new source (a resumed run) draws the same variants for the same epoch.
 */
class CachedBatchSourceTest {
    private static CachedSamples cache(Path dir, SampleFormat format) throws Exception {
        Path data = dir.resolve("data");
        if (!java.nio.file.Files.isDirectory(data)) TinyLabelledFolder.write(data, 12, 3);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            LabelledFolder f = LabelledFolder.classPerFolder(data, null, ImageFolderSource.DEFAULT_EXTENSIONS, new SkippedReport());
            return new SampleCache(dir.resolve("cache"), "t" + format.height(), data, format, new ImageDecoder(), pool, 5)
                    .open(f, new SkippedReport(), m -> { });
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void smallSamplesGetASlotPerStepOfAGatedStretchLargeOnesTheFewTheBudgetHolds() {
        assertEquals(CachedBatchSource.MAX_SLOTS, CachedBatchSource.slotsFor(256, new SampleFormat(28, 28, 1), false), "LeNet-5 batches: 200 KB a slot");
        assertEquals(42, CachedBatchSource.slotsFor(64, new SampleFormat(64, 64, 3), false), "32 MiB / (64 x (12,288 + 4) bytes)");
        assertEquals(CachedBatchSource.MIN_SLOTS, CachedBatchSource.slotsFor(64, new SampleFormat(224, 224, 3), true), "9.6 MB a slot");
    }

    @Test
    void augmentedBatchesAreTheTwinsBytesAndRepeatForTheSameEpoch(@TempDir Path dir) throws Exception {
        CachedSamples samples = cache(dir, new SampleFormat(11, 10, 1));
        int n = samples.count(), batch = 7;
        float mean = 0.25f, std = 0.5f;
        AugmentConfig train = new AugmentConfig(List.of(MirrorSpec.horizontal(0.5), new CropSpec(0.8, 0, 1, Range.of(0.5, 1), Range.of(0.75, 1.33)),
                new RotateSpec(0.5, 15)), 77, 8, 9, 3);
        AugmentConfig centre = new AugmentConfig(List.of(new CentreCropSpec()), 1, 8, 9, 0);
        AugmentConfig resize = new AugmentConfig(List.of(), 1, 8, 9, 0);
        ClContext cl = TestDevices.context();
        int[] order = EpochOrder.of(3, 2, n);
        try (ClBuffer x = cl.buffer(batch * 72 * 4L); ClBuffer y = cl.buffer(batch * 4L)) {
            byte[] epoch2;
            try (CachedBatchSource source = new CachedBatchSource(cl, samples, batch, mean, std, train)) {
                assertEquals(new Shape(8, 9, 1), source.shape());
                source.setEpoch(2);
                source.setOrder(order);
                epoch2 = gatherAll(cl, source, train, samples, order, 2, batch, x, y, mean, std);
                source.setEpoch(3);
                byte[] epoch3 = gatherAll(cl, source, train, samples, order, 3, batch, x, y, mean, std);
                assertFalse(java.util.Arrays.equals(epoch2, epoch3), "another epoch draws other variants");
            }
            try (CachedBatchSource resumed = new CachedBatchSource(cl, samples, batch, mean, std, train)) {
                resumed.setEpoch(2);
                resumed.setOrder(order);
                assertArrayEquals(epoch2, gatherAll(cl, resumed, train, samples, order, 2, batch, x, y, mean, std), "a resumed run draws the same variants");
            }
            for (AugmentConfig view : List.of(centre, resize)) {
                try (CachedBatchSource eval = new CachedBatchSource(cl, samples, batch, mean, std, view)) {
                    gatherAll(cl, eval, view, samples, null, 0, batch, x, y, mean, std);
                }
            }
        }
    }

    /** Gathers every batch in {@code order} (a short last one too), checks each against the twin; returns all bytes. */
    private static byte[] gatherAll(ClContext cl, CachedBatchSource source, AugmentConfig view, CachedSamples samples, int[] order, int epoch, int batch,
                                    ClBuffer x, ClBuffer y, float mean, float std) {
        int n = samples.count(), in = samples.format().bytes(), out = view.outputHeight() * view.outputWidth();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int first = 0; first < n; first += batch) {
            int valid = Math.min(batch, n - first);
            source.gather(first, valid, batch, x, y);
            float[] got = x.readFloats(cl.queue());
            long[] indices = new long[valid];
            ImageBatch stored = ImageBatch.allocate(valid, samples.format().height(), samples.format().width(), 1);
            ByteBuffer one = ByteBuffer.allocate(in);
            for (int r = 0; r < valid; r++) {
                indices[r] = order == null ? first + r : order[first + r];
                samples.copy((int) indices[r], one, 0);
                one.get(0, stored.pixels(), r * in, in);
            }
            ImageBatch want = ReferenceAugmenter.apply(view, stored, epoch, indices);
            byte[] bytes = new byte[valid * out];
            for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) Math.round((got[i] * std + mean) * 255f);
            assertArrayEquals(want.pixels(), bytes, "epoch " + epoch + ", batch at " + first);
            for (int i = valid * out; i < batch * out; i++) assertEquals(0f, got[i], "rows past the valid ones are zero");
            all.writeBytes(bytes);
        }
        return all.toByteArray();
    }

    @Test
    void streamedBatchesEqualDeviceResidentOnes(@TempDir Path dir) throws Exception {
        CachedSamples samples = cache(dir, new SampleFormat(8, 8, 1));
        int n = samples.count(), batch = 5, pixels = 64;
        byte[] bytes = new byte[n * pixels];
        ByteBuffer one = ByteBuffer.allocate(pixels);
        for (int i = 0; i < n; i++) {
            samples.copy(i, one, 0);
            one.get(0, bytes, i * pixels, pixels);
        }
        Dataset dataset = new Dataset("same", bytes, samples.labels(), new Shape(8, 8, 1), 4);
        ClContext cl = TestDevices.context();
        try (CachedBatchSource streamed = new CachedBatchSource(cl, samples, batch, 0.3f, 0.4f);
                DeviceDataset resident = new DeviceDataset(cl, dataset, 0.3f, 0.4f);
                ClBuffer x1 = cl.buffer(batch * pixels * 4L); ClBuffer x2 = cl.buffer(batch * pixels * 4L);
                ClBuffer y1 = cl.buffer(batch * 4L); ClBuffer y2 = cl.buffer(batch * 4L)) {
            int[] order = EpochOrder.of(9, 1, n);
            streamed.setOrder(order);
            resident.setOrder(order);
            for (int first = 0; first + batch <= n; first += batch) compare(cl, streamed, resident, first, batch, batch, x1, x2, y1, y2);
            streamed.setOrder(null);
            resident.setOrder(null);
            for (int first = 0; first < n; first += batch) compare(cl, streamed, resident, first, Math.min(batch, n - first), batch, x1, x2, y1, y2);
            compare(cl, streamed, resident, 3, batch, batch, x1, x2, y1, y2); // not the prefetched batch
            assertEquals(36, n, "12 per class in 3 classes, the corrupt file left out");
        }
    }

    private static void compare(ClContext cl, BatchSource a, BatchSource b, int first, int valid, int batch, ClBuffer x1, ClBuffer x2, ClBuffer y1, ClBuffer y2) {
        a.gather(first, valid, batch, x1, y1);
        b.gather(first, valid, batch, x2, y2);
        assertArrayEquals(x2.readFloats(cl.queue()), x1.readFloats(cl.queue()), "batch at " + first);
        int[] l1 = new int[batch], l2 = new int[batch];
        y1.read(cl.queue(), l1);
        y2.read(cl.queue(), l2);
        assertArrayEquals(l2, l1, "labels at " + first);
    }
}
