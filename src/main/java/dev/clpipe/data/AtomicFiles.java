package dev.clpipe.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that readers see either nothing or the whole file: the content goes to a hidden
 * temp file in the target's folder, is forced to disk, then renamed over the target. Without
 * overwrite, the final step is a hard link, which fails if the target appeared meanwhile, so an
 * existing file is never replaced (where hard links are not supported, an existence check then
 * an atomic rename is used).
 */
public final class AtomicFiles {
    private static final String TEMP_PREFIX = ".";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private AtomicFiles() {
    }

    /** Writes the content of a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code target} atomically; throws FileAlreadyExistsException if it exists and !overwrite. */
    public static void write(Path target, boolean overwrite, Writer content) throws IOException {
        Path tmp = createTemp(target, overwrite);
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                content.write(out);
            }
            commit(tmp, target, overwrite);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes bytes atomically. */
    public static void write(Path target, boolean overwrite, byte[] bytes) throws IOException {
        write(target, overwrite, out -> out.write(bytes));
    }

    /**
     * Creates the temp file next to {@code target} (creating missing folders), after checking that
     * the target does not exist when {@code overwrite} is false.
     */
    static Path createTemp(Path target, boolean overwrite) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        if (!overwrite && Files.exists(abs)) {
            throw new FileAlreadyExistsException(abs.toString(), null, "refusing to overwrite an existing file");
        }
        // Not Files.createTempFile: that makes the file 0600; a plain create honours the umask (0644).
        while (true) {
            Path tmp = dir.resolve(TEMP_PREFIX + abs.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + TEMP_SUFFIX);
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException taken) {
                // another writer drew the same name: draw again
            }
        }
    }

    /** Whether {@code file} is a temp file this class creates (left behind if a process was killed). */
    public static boolean isTemp(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX) && name.length() > 2 + TEMP_SUFFIX.length();
    }

    /**
     * Deletes the temp files a killed writer left anywhere under {@code folder} (call it only while
     * no one writes there, e.g. holding the run folder's lock); returns how many were removed.
     */
    public static int removeStaleTemps(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return 0;
        int removed = 0;
        try (java.util.stream.Stream<Path> files = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (isTemp(p) && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(p)) removed++;
            }
        }
        return removed;
    }

    /** Forces {@code tmp} to disk and moves it to {@code target}; the temp file is gone afterwards. */
    static void commit(Path tmp, Path target, boolean overwrite) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        if (!overwrite) {
            try {
                Files.createLink(target, tmp);
                Files.delete(tmp);
                return;
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
                throw new FileAlreadyExistsException(target.toString(), null, "refusing to overwrite an existing file");
            } catch (UnsupportedOperationException | IOException e) {
                if (Files.exists(target)) {
                    Files.deleteIfExists(tmp);
                    throw new FileAlreadyExistsException(target.toString(), null,
                            "refusing to overwrite an existing file");
                }
            }
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
