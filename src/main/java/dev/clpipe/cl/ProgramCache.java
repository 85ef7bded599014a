package dev.clpipe.cl;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Compiled program binaries on disk, one file per {@link ProgramKey} digest plus a checksum file,
 * so a damaged entry is detected and rebuilt rather than trusted. An unwritable folder turns the
 * cache off with one warning; the run goes on compiling.
 */
public final class ProgramCache {
    private static final Logger LOG = LogManager.getLogger(ProgramCache.class);
    private final Path folder;
    private boolean writable = true;

    public ProgramCache(Path folder) {
        this.folder = folder;
    }

    /** {@code $CLPIPE_CACHE}, else {@code ~/.cache/clpipe}; kernels go in its {@code kernels/} folder. */
    public static ProgramCache standard() {
        String env = System.getenv("CLPIPE_CACHE");
        Path root = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "clpipe");
        return new ProgramCache(root.resolve("kernels"));
    }

    public Path folder() {
        return folder;
    }

    public Optional<byte[]> load(ProgramKey key) {
        Path bin = binary(key);
        Path sum = checksum(key);
        if (!Files.isRegularFile(bin)) return Optional.empty();
        try {
            byte[] bytes = Files.readAllBytes(bin);
            String expected = Files.isRegularFile(sum) ? Files.readString(sum).trim() : "";
            if (!expected.equals(KernelSource.sha256(bytes))) {
                LOG.warn("kernel cache entry {} is corrupt (checksum mismatch); rebuilding it", bin);
                evict(key);
                return Optional.empty();
            }
            return Optional.of(bytes);
        } catch (IOException e) {
            LOG.warn("cannot read kernel cache entry {}: {}; rebuilding it", bin, e.getMessage());
            return Optional.empty();
        }
    }

    public void store(ProgramKey key, byte[] binary) {
        if (!writable) return;
        try {
            Files.createDirectories(folder);
            writeAtomically(checksum(key), KernelSource.sha256(binary).getBytes());
            writeAtomically(binary(key), binary);
        } catch (IOException | SecurityException e) {
            writable = false;
            String why = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
            LOG.warn("kernel cache folder {} is not writable ({}); building without caching. "
                    + "Set CLPIPE_CACHE to a writable folder to keep compiled kernels.", folder, why);
        }
    }

    /** Removes an entry that failed to load, so the next run does not trip on it again. */
    public void evict(ProgramKey key) {
        try {
            Files.deleteIfExists(binary(key));
            Files.deleteIfExists(checksum(key));
        } catch (IOException e) {
            LOG.debug("cannot evict {}: {}", binary(key), e.getMessage());
        }
    }

    Path binary(ProgramKey key) {
        return folder.resolve(key.digest() + ".bin");
    }

    private Path checksum(ProgramKey key) {
        return folder.resolve(key.digest() + ".sha256");
    }

    private void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(folder, ".tmp-", ".part");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
