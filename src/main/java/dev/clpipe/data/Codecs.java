package dev.clpipe.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image codecs this machine offers, for {@code clpipe devices}: per format and direction the
 * library used, its file and package version, or what is used instead and how to install the rest.
 */
public final class Codecs {
    private Codecs() {}

    /** One line per codec: "JPEG decode/encode: libjpeg-turbo 1:2.1.5-2 (FILE)", or what is used instead and why. */
    public static List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> c : list()) {
            StringBuilder line = new StringBuilder(c.get("format") + " " + c.get("operation") + ": " + c.get("codec"));
            if (c.containsKey("version")) line.append(' ').append(c.get("version"));
            if (c.containsKey("file")) line.append(" (").append(c.get("file")).append(')');
            if (c.containsKey("note")) line.append("; ").append(c.get("note"));
            if (c.containsKey("missing")) line.append("; ").append(c.get("missing"));
            lines.add(line.toString());
        }
        return lines;
    }

    /** The same as {@link #describe}, as JSON objects: format, operation, codec, file, version, note, missing. */
    public static List<Map<String, Object>> list() {
        List<Map<String, Object>> codecs = new ArrayList<>();
        if (DecoderChoice.turboAvailable()) {
            codecs.add(codec("JPEG", "decode/encode", DecoderChoice.TURBO_NAME, mapped("libturbojpeg", DecoderChoice.turboLibraryFile()), "libturbojpeg0",
                    "DCT-scaled decoding for reduce_to_side; ImageIO with decoder: imageio", null));
        } else {
            codecs.add(codec("JPEG", "decode/encode", "imageio", null, null, "about 4x slower than libjpeg-turbo",
                    DecoderChoice.turboUnavailableReason()));
        }
        codecs.add(codec("PNG", "decode", "imageio", null, null, "chunk CRCs verified (PngChunkCrc)", null));
        if (PngEncoder.libdeflateUnavailableReason() == null) {
            codecs.add(codec("PNG", "encode", "libdeflate", mapped("libdeflate", PngEncoder.libdeflateFile()), "libdeflate0",
                    "write-images compression 0..9", null));
        } else {
            codecs.add(codec("PNG", "encode", "zlib (JDK Deflater)", null, null, "write-images compression 0..9; about 2x slower than libdeflate",
                    PngEncoder.libdeflateUnavailableReason()));
        }
        codecs.add(codec("BMP, GIF", "decode", "imageio", null, null, null, null));
        return codecs;
    }

    private static Map<String, Object> codec(String format, String operation, String codec, String file, String debianPackage,
            String note, String missing) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("format", format);
        c.put("operation", operation);
        c.put("codec", codec);
        if (file != null) c.put("file", file);
        String version = debianPackage == null ? null : packageVersion(debianPackage);
        if (version != null) c.put("version", version);
        if (note != null) c.put("note", note);
        if (missing != null) c.put("missing", missing);
        return c;
    }

    /**
     * The file of the loaded library whose name starts with {@code prefix}, as the process maps it
     * (JNA knows only the name it asked the dynamic linker for); {@code otherwise} off Linux.
     */
    static String mapped(String prefix, String otherwise) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash < 0) continue;
                String file = line.substring(slash);
                if (java.nio.file.Path.of(file).getFileName().toString().startsWith(prefix + ".so")) return file;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: JNA's description stands
        }
        return otherwise;
    }

    /**
     * The installed Debian package's version (the libraries themselves do not export one), or null
     * off Debian; the doctor runs once, so one short dpkg-query per library is fine.
     */
    static String packageVersion(String debianPackage) {
        try {
            Process p = new ProcessBuilder("dpkg-query", "-W", "-f", "${Version}", debianPackage).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 && !out.isEmpty() ? out : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
