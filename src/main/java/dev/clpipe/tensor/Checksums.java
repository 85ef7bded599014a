package dev.clpipe.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The checksums clpipe keeps beside what it writes and checks when it reads: CRC-32C
 * ({@code crc32c:xxxxxxxx}) for its own checkpoints and caches, where the threat is a damaged or
 * truncated file and speed matters; SHA-256 (hex) where a published sum file exists
 * ({@code SHA256SUMS} of the fetched models).
 */
public final class Checksums {
    private static final int BUFFER = 1 << 20;

    private Checksums() {}

    public static String crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length);
        return format(crc);
    }

    public static String crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) > 0; ) crc.update(buf, 0, n);
        }
        return format(crc);
    }

    /** SHA-256 of a file as lower-case hex, the form {@code sha256sum} prints. */
    public static String sha256(Path file) throws IOException {
        MessageDigest d = sha256Digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    public static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String format(CRC32C crc) {
        return String.format("crc32c:%08x", crc.getValue());
    }
}
