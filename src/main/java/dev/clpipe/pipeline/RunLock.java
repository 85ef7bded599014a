package dev.clpipe.pipeline;

import dev.clpipe.config.ConfigException;
import dev.clpipe.config.Origin;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The lock a run or resume holds on its run folder ({@code .lock}, an OS file lock, so it is
 * released when the process dies, even by {@code kill -9}). The file names its holder (pid, host,
 * start), for the message a second process gets. It is deleted on release; a file left by a killed
 * process holds no lock and is taken over.
 */
final class RunLock implements AutoCloseable {
    static final String FILE = ".lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code folder}; a ConfigException (exit 2) naming the holder if another process has it. */
    static RunLock acquire(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        while (true) {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException heldHere) {
                lock = null; // this very process holds it (a second run in one JVM)
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                String holder = readHolder(channel);
                channel.close();
                throw new ConfigException(Origin.of(folder.toString()), "", "run folder in use by another clpipe process ("
                        + holder + "); wait for it to end or stop it");
            }
            if (sameFile(file, channel)) {
                String holder = "pid " + ProcessHandle.current().pid() + ", host " + host() + ", started " + Instant.now();
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
                return new RunLock(file, channel, lock);
            }
            channel.close(); // the holder deleted the file while we opened it: take the new one
        }
    }

    /** Whether the locked channel is still the file at {@code file} (not one deleted meanwhile). */
    private static boolean sameFile(Path file, FileChannel channel) throws IOException {
        try {
            Object key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return key == null || key.equals(openKey(file, channel));
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    private static Object openKey(Path file, FileChannel channel) throws IOException {
        // The open channel's inode via /proc (Linux); elsewhere trust the path.
        Path self = Path.of("/proc/self/fd");
        if (!Files.isDirectory(self)) return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        try (var fds = Files.list(self)) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file.toAbsolutePath())) {
                        return Files.readAttributes(fd, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
                    }
                } catch (IOException vanished) {
                    // an fd closed while listing
                }
            }
        }
        return null;
    }

    private static String readHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(512);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "holder unknown" : text;
        } catch (IOException e) {
            return "holder unknown: " + e.getMessage();
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file); // while still locked, so no one takes a file about to vanish
        } finally {
            lock.release();
            channel.close();
        }
    }
}
