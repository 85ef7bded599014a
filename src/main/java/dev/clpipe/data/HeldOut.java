package dev.clpipe.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Where a file falls in a held-out split: a position in [0, 1) from the SHA-256 of its relative
 * path alone, so the split of a file never depends on the other files (adding images never moves
 * old ones between train, validation and test) and is the same on every machine.
 */
public final class HeldOut {
    private HeldOut() {}

    public static double position(String relativePath) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(relativePath.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 7; i++) v = v << 8 | (h[i] & 0xFF);
            return (v >>> 3) / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this Java runtime", e);
        }
    }
}
