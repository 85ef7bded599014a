package dev.clpipe.nn.io;

import static dev.clpipe.nn.io.TfjsFixture.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clpipe.tensor.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files are checked against the SHA256SUMS the fetch script writes: a same-size byte flip
 * (which decodes to plausible, finite, wrong weights) is refused naming the file; an unlisted
 * file is refused; a folder without sums still loads; each file is hashed once while unchanged.
 */
class Sha256SumsTest {
    @TempDir
    Path dir;

    private Path model() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("m.bin").float32("w", shape(2, 2), 1f, 2f, 3f, 4f);
        return f.write(dir, "m.json");
    }

    private void writeSums(String... names) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String n : names) text.append(Checksums.sha256(dir.resolve(n))).append("  ").append(n).append('\n');
        Files.writeString(dir.resolve(Sha256Sums.FILE), text);
    }

    private void flipByte(Path file, int index) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[index] ^= 0x01;
        Files.write(file, b);
    }

    @Test
    void matchingFilesLoadAndAFlippedShardByteIsRefusedNamingTheFile() throws IOException {
        Path manifest = model();
        writeSums("m.json", "m.bin");
        assertArrayEquals(new float[] {1, 2, 3, 4}, TfjsWeights.read(manifest).get("w").values());
        Path shard = dir.resolve("m.bin");
        flipByte(shard, 1); // 1.0f becomes 1.0000153f: finite, plausible, wrong
        Files.setLastModifiedTime(shard, FileTime.fromMillis(Files.getLastModifiedTime(shard).toMillis() + 2000));
        TfjsFormatException e = assertThrows(TfjsFormatException.class, () -> TfjsWeights.read(manifest));
        assertTrue(e.getMessage().startsWith(shard + ": damaged or replaced: SHA-256"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aChangedManifestAndAnUnlistedFileAreRefused() throws IOException {
        Path manifest = model();
        writeSums("m.json");
        TfjsFormatException e = assertThrows(TfjsFormatException.class, () -> TfjsWeights.read(manifest));
        assertTrue(e.getMessage().contains("m.bin: not listed in"), e.getMessage());
        writeSums("m.json", "m.bin");
        Files.writeString(manifest, Files.readString(manifest) + " ");
        e = assertThrows(TfjsFormatException.class, () -> TfjsWeights.read(manifest));
        assertTrue(e.getMessage().startsWith(manifest + ": damaged or replaced"), e.getMessage());
    }

    @Test
    void aFolderWithoutSumsLoadsUnverified() throws IOException {
        assertEquals(4, TfjsWeights.read(model()).get("w").values().length);
    }

    @Test
    void eachFileIsHashedOnceWhileUnchanged() throws IOException {
        Path manifest = model();
        writeSums("m.json", "m.bin");
        TfjsWeights.read(manifest);
        long after = Sha256Sums.hashed();
        for (int i = 0; i < 3; i++) TfjsWeights.read(manifest);
        assertEquals(after, Sha256Sums.hashed());
    }

    /** The real recognition model: a flipped byte used to give different embeddings silently. */
    @Test
    void aFlippedByteInTheRealRecognitionModelIsRefused() throws IOException {
        Path real = FaceApiModels.defaultFolder();
        assumeTrue(Files.isRegularFile(real.resolve(Sha256Sums.FILE)), "face-api models with SHA256SUMS not fetched (make models)");
        for (String name : List.of(FaceRecognitionWeights.MANIFEST, "face_recognition_model.bin", Sha256Sums.FILE)) {
            Files.copy(real.resolve(name), dir.resolve(name));
        }
        FaceRecognitionWeights.load(dir);
        Path bin = dir.resolve("face_recognition_model.bin");
        flipByte(bin, 1000);
        Files.setLastModifiedTime(bin, FileTime.fromMillis(Files.getLastModifiedTime(bin).toMillis() + 2000));
        TfjsFormatException e = assertThrows(TfjsFormatException.class, () -> FaceRecognitionWeights.load(dir));
        assertTrue(e.getMessage().startsWith(bin + ": damaged or replaced"), e.getMessage());
    }
}
