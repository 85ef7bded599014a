package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.train.Trainer;
import dev.clpipe.tensor.Checksums;
import dev.clpipe.tensor.Npy;
import dev.clpipe.tensor.NpyArray;
import dev.clpipe.testing.TestDevices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged weights are never trusted: a same-size byte flip in a tensor file, a NaN or infinity in
 * a weight, a missing or garbled index.json are refused naming the folder, file and tensor; a
 * checkpoint from before checksums ({@code clpipe-checkpoint/1}) still loads, values intact.
 */
class CheckpointIntegrityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENSOR = "fc1.weight";

    @SuppressWarnings("unchecked")
    private static Map<String, Object> index(Path checkpoint) throws IOException {
        return JSON.readValue(checkpoint.resolve("index.json").toFile(), Map.class);
    }

    private static IOException refusedByEveryLoader(ClContext cl, Path checkpoint) {
        try (Network net = new Network(cl, TransferTest.MODEL, 16, 3);
                Trainer t = new Trainer(cl, TransferTest.MODEL, TransferTest.settings(5))) {
            IOException weights = assertThrows(IOException.class, () -> Checkpoints.loadWeights(checkpoint, net));
            IOException resume = assertThrows(IOException.class, () -> t.loop().restore(checkpoint));
            assertEquals(weights.getMessage(), resume.getMessage());
            IOException layers = assertThrows(IOException.class, () -> Checkpoints.loadLayers(checkpoint, net, 8));
            assertEquals(weights.getMessage(), layers.getMessage());
            return weights;
        }
    }

    @Test
    void everyTensorCarriesTheChecksumOfItsFile(@TempDir Path dir) throws IOException {
        Path checkpoint = TransferTest.pretrained(TestDevices.context(), dir);
        Map<String, Object> index = index(checkpoint);
        assertEquals(Checkpoints.FORMAT, index.get("format"));
        @SuppressWarnings("unchecked") Map<String, Object> tensors = (Map<String, Object>) index.get("tensors");
        @SuppressWarnings("unchecked") Map<String, Object> sums = (Map<String, Object>) index.get("checksums");
        assertEquals(tensors.keySet(), sums.keySet());
        for (String name : tensors.keySet()) {
            assertEquals(Checksums.crc32c(checkpoint.resolve(tensors.get(name).toString())), sums.get(name), name);
        }
    }

    @Test
    void aSameSizeByteFlipInATensorIsRefusedNamingFileAndTensor(@TempDir Path dir) throws IOException {
        ClContext cl = TestDevices.context();
        Path checkpoint = TransferTest.pretrained(cl, dir);
        Path file = checkpoint.resolve(TENSOR + ".npy");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x40; // an exponent bit: a plausible, finite, very wrong weight
        Files.write(file, bytes);
        IOException e = refusedByEveryLoader(cl, checkpoint);
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'" + TENSOR + "'")
                && e.getMessage().contains("checksum"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aNonFiniteWeightIsRefusedNamingTheTensorEvenWithAMatchingChecksum(@TempDir Path dir) throws IOException {
        ClContext cl = TestDevices.context();
        Path checkpoint = TransferTest.pretrained(cl, dir);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            Path file = checkpoint.resolve(TENSOR + ".npy");
            NpyArray a = Npy.read(file);
            float[] v = a.data().clone();
            v[7] = bad;
            byte[] bytes = Npy.encode(file, a.shape(), v);
            Files.write(file, bytes);
            Map<String, Object> index = index(checkpoint);
            @SuppressWarnings("unchecked") Map<String, Object> sums = (Map<String, Object>) index.get("checksums");
            sums.put(TENSOR, Checksums.crc32c(bytes)); // written so by a trainer that diverged: the sums agree
            JSON.writeValue(checkpoint.resolve("index.json").toFile(), index);
            IOException e = refusedByEveryLoader(cl, checkpoint);
            assertTrue(e.getMessage().contains("'" + TENSOR + "'") && e.getMessage().contains(String.valueOf(bad))
                    && e.getMessage().contains("element 7"), e.getMessage());
        }
    }

    @Test
    void aCheckpointFromBeforeChecksumsLoadsWithItsValues(@TempDir Path dir) throws IOException {
        ClContext cl = TestDevices.context();
        Path checkpoint = TransferTest.pretrained(cl, dir);
        Map<String, Object> index = index(checkpoint);
        index.remove("checksums");
        index.put("format", Checkpoints.LEGACY_FORMAT);
        JSON.writeValue(checkpoint.resolve("index.json").toFile(), index);
        try (Network net = new Network(cl, TransferTest.MODEL, 16, 3)) {
            Checkpoints.loadWeights(checkpoint, net);
            Param p = net.params().stream().filter(x -> x.name().equals(TENSOR)).findFirst().orElseThrow();
            assertArrayEquals(Npy.read(checkpoint.resolve(TENSOR + ".npy")).data(), p.value().readFloats(cl.queue()));
        }
        // but a NaN is still refused there
        Path file = checkpoint.resolve(TENSOR + ".npy");
        NpyArray a = Npy.read(file);
        float[] v = a.data().clone();
        v[0] = Float.NaN;
        Npy.write(file, a.shape(), v);
        IOException e = refusedByEveryLoader(cl, checkpoint);
        assertTrue(e.getMessage().contains("'" + TENSOR + "'") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void aCurrentCheckpointWithoutItsChecksumsIsRefused(@TempDir Path dir) throws IOException {
        ClContext cl = TestDevices.context();
        Path checkpoint = TransferTest.pretrained(cl, dir);
        Map<String, Object> index = index(checkpoint);
        index.remove("checksums");
        JSON.writeValue(checkpoint.resolve("index.json").toFile(), index);
        IOException e = refusedByEveryLoader(cl, checkpoint);
        assertTrue(e.getMessage().contains("index.json") && e.getMessage().contains("checksums"), e.getMessage());
    }

    @Test
    void aMissingOrGarbledIndexIsOneLineNamingTheFolder(@TempDir Path dir) throws IOException {
        ClContext cl = TestDevices.context();
        Path checkpoint = TransferTest.pretrained(cl, dir);
        Files.writeString(checkpoint.resolve("index.json"), "{\"format\": \"clpipe-checkpoint/2\", \"tensors\": {");
        IOException e = refusedByEveryLoader(cl, checkpoint);
        assertTrue(e.getMessage().contains("index.json") && e.getMessage().contains("not valid JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        Files.delete(checkpoint.resolve("index.json"));
        e = refusedByEveryLoader(cl, checkpoint);
        assertTrue(e.getMessage().contains(checkpoint + ": not a checkpoint folder (no index.json)"), e.getMessage());
    }
}
