package dev.clpipe.cl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of one {@code opencl/*.cl} file, as shipped in the jar. A {@code #line} directive is
 * prepended so the compiler's messages name the file and its real line numbers. A line
 * {@code #include "name.h"} is replaced by {@code opencl/name.h} from the jar (one level, no
 * search path: helpers several kernel files share, e.g. {@code vec16.h}); the digest covers the
 * expanded text, so editing a header rebuilds every program that includes it.
 */
public record KernelSource(String file, String text) {
    private static final Pattern INCLUDE = Pattern.compile("(?m)^#include \"([A-Za-z0-9_]+\\.h)\"[ \\t]*$");

    public static KernelSource load(String file) {
        return of(file, expandIncludes(file, read(file)));
    }

    /** A source not from a file (tests, self-test); {@code file} is the name errors show. */
    public static KernelSource of(String file, String body) {
        return new KernelSource(file, "#line 1 \"" + file + "\"\n" + body);
    }

    /** Each {@code #include "x.h"} line becomes x.h's text, then a {@code #line} back to the includer. */
    static String expandIncludes(String file, String body) {
        Matcher m = INCLUDE.matcher(body);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            int nextLine = 2 + (int) body.substring(0, m.start()).chars().filter(c -> c == '\n').count();
            out.append(body, last, m.start()).append("#line 1 \"").append(m.group(1)).append("\"\n")
                    .append(read(m.group(1))).append("\n#line ").append(nextLine).append(" \"").append(file).append('"');
            last = m.end();
        }
        return out.append(body.substring(last)).toString();
    }

    private static String read(String file) {
        String resource = "opencl/" + file;
        try (InputStream in = KernelSource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new ClException("kernel file " + resource + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ClException("cannot read kernel file " + resource + ": " + e.getMessage(), e);
        }
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
