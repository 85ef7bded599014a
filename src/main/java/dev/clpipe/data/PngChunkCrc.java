package dev.clpipe.data;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Verifies every PNG chunk's CRC as libpng does (ImageIO's reader does not): a damaged critical
 * chunk (IHDR, PLTE, IDAT, IEND: upper-case first letter) makes the file corrupt; a damaged
 * ancillary chunk is a note (libpng warns and discards it). Run after {@link ContainerCheck}, so
 * every chunk fits in the file.
 */
final class PngChunkCrc {
    private PngChunkCrc() {}

    /** The refusal message for a damaged critical chunk, or null; ancillary damage goes to {@code notes}. */
    static String check(byte[] b, List<String> notes) {
        CRC32 crc = new CRC32();
        int p = 8;
        while (p + 12 <= b.length) {
            long len = ContainerCheck.u32be(b, p);
            if (p + 12 + len > b.length) return null; // ContainerCheck reports truncation
            int n = (int) len;
            crc.reset();
            crc.update(b, p + 4, 4 + n);
            long stored = ContainerCheck.u32be(b, p + 8 + n);
            String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
            if (crc.getValue() != stored) {
                String msg = "PNG chunk " + type + " at byte " + p + " has a bad CRC";
                if (Character.isUpperCase(type.charAt(0))) return msg + " (damaged critical chunk)";
                notes.add(msg + " (ancillary chunk, ignored)");
            }
            if (type.equals("IEND")) return null;
            p += 12 + n;
        }
        return null;
    }
}
