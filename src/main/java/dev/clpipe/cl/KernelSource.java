package dev.clpipe.cl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The text of one {@code opencl/*.cl} file, as shipped in the jar. A {@code #line} directive is
 * prepended so the compiler's messages name the file and its real line numbers.
 */
public record KernelSource(String file, String text) {
    public static KernelSource load(String file) {
        String resource = "opencl/" + file;
        try (InputStream in = KernelSource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new ClException("kernel file " + resource + " is not on the classpath");
            return of(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ClException("cannot read kernel file " + resource + ": " + e.getMessage(), e);
        }
    }

    /** A source not from a file (tests, self-test); {@code file} is the name errors show. */
    public static KernelSource of(String file, String body) {
        return new KernelSource(file, "#line 1 \"" + file + "\"\n" + body);
    }

    public String sha256() {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
