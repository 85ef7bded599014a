package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches streamed from the sample cache (prefetched, uploaded asynchronously) equal the batches
 * of the same samples held on the device ({@link DeviceDataset}): shuffled training order, then
 * the sequential evaluation order with a short last batch, and a jump that misses the prefetch.
 */
class CachedBatchSourceTest {
    @Test
    void streamedBatchesEqualDeviceResidentOnes(@TempDir Path dir) throws Exception {
        Path data = TinyLabelledFolder.write(dir.resolve("data"), 12, 3);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CachedSamples samples;
        try {
            LabelledFolder f = LabelledFolder.classPerFolder(data, null, ImageFolderSource.DEFAULT_EXTENSIONS, new SkippedReport());
            samples = new SampleCache(dir.resolve("cache"), "t", data, new SampleFormat(8, 8, 1), new ImageDecoder(), pool, 5)
                    .open(f, new SkippedReport(), m -> { });
        } finally {
            pool.shutdownNow();
        }
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
