package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.train.TrainerTest;
import dev.clpipe.testing.TestDevices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frozen-feature cache: built once then hit with identical values; a corrupt or foreign entry
 * is rebuilt saying why; the key follows frozen weights, data and normalisation, not the head.
 */
class FeatureCacheTest {
    @Test
    void buildsOnceThenHitsAndRebuildsACorruptEntry(@TempDir Path dir) throws IOException {
        ClContext cl = TestDevices.context();
        Dataset data = TrainerTest.synthetic(50, 4);
        try (Network net = new Network(cl, TransferTest.MODEL, 16, 5); DeviceDataset images = new DeviceDataset(cl, data, 0.5f, 0.3f)) {
            net.freeze(TransferTest.FROZEN);
            FeatureCache cache = new FeatureCache(dir.resolve("features"));
            String key = FeatureCache.key(net, data, 0.5f, 0.3f);
            AtomicInteger builds = new AtomicInteger();
            FeatureCache.Result first = cache.get(key, () -> {
                builds.incrementAndGet();
                return Features.extract(net, images);
            });
            assertEquals("built", first.how());
            assertEquals(TransferTest.MODEL.inputOf(TransferTest.FROZEN), first.features().shape());
            FeatureCache.Result second = cache.get(key, () -> {
                throw new AssertionError("a valid entry must not be rebuilt");
            });
            assertEquals("cache hit", second.how());
            assertArrayEquals(first.features().values(), second.features().values());
            assertArrayEquals(data.labels(), second.features().labels());

            Path file = first.folder().resolve("features.npy");
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 3] ^= 0x40;
            Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
            FeatureCache.Result third = cache.get(key, () -> Features.extract(net, images));
            assertTrue(third.how().startsWith("rebuilt") && third.how().contains("corrupt"), third.how());
            assertArrayEquals(first.features().values(), third.features().values());
            assertEquals("cache hit", cache.get(key, () -> null).how(), "the rebuilt entry is valid again");

            // an entry copied under another key is foreign: its meta.json names its own key
            Path foreign = dir.resolve("features").resolve("0123");
            Files.createDirectories(foreign);
            for (String f : new String[] {"features.npy", "labels.npy", "meta.json"}) Files.copy(first.folder().resolve(f), foreign.resolve(f));
            FeatureCache.Result other = cache.get("0123", () -> Features.extract(net, images));
            assertTrue(other.how().startsWith("rebuilt") && other.how().contains("not 0123"), other.how());
        }
    }

    @Test
    void keyFollowsFrozenWeightsDataAndNormalisationButNotTheHead() {
        ClContext cl = TestDevices.context();
        Dataset data = TrainerTest.synthetic(30, 4);
        try (Network net = new Network(cl, TransferTest.MODEL, 8, 5)) {
            net.freeze(TransferTest.FROZEN);
            String key = FeatureCache.key(net, data, 0.5f, 0.3f);
            assertEquals(key, FeatureCache.key(net, data, 0.5f, 0.3f));
            assertNotEquals(key, FeatureCache.key(net, data, 0.4f, 0.3f), "normalisation");
            assertNotEquals(key, FeatureCache.key(net, TrainerTest.synthetic(30, 5), 0.5f, 0.3f), "data");
            Param head = net.paramsOf(TransferTest.FROZEN, TransferTest.MODEL.layers().size()).get(0);
            head.value().fill(cl.queue(), 0.25f);
            assertEquals(key, FeatureCache.key(net, data, 0.5f, 0.3f), "head weights do not change the features");
            Param conv = net.paramsOf(0, 1).get(0);
            float[] w = conv.value().readFloats(cl.queue());
            w[0] += 1e-3f;
            conv.value().write(cl.queue(), w);
            assertNotEquals(key, FeatureCache.key(net, data, 0.5f, 0.3f), "frozen weights");
            net.freeze(TransferTest.FROZEN - 1);
            assertNotEquals(FeatureCache.key(net, data, 0.5f, 0.3f), key, "another frozen depth");
        }
    }
}
