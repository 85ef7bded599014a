package dev.clpipe.data;

/**
 * Structural end-of-data checks that ImageIO does not make: its readers often return a partly
 * grey image from a truncated file without an error. Cheap: walks chunk headers or looks for end
 * markers, never decodes pixels.
 */
final class ContainerCheck {
    private ContainerCheck() {
    }

    /** Returns why the data looks truncated, or {@code null} if its end is where it should be. */
    static String truncation(ImageFormat format, byte[] b) {
        return switch (format) {
            case PNG -> png(b);
            case JPEG -> jpeg(b);
            case GIF -> gif(b);
            case BMP -> bmp(b);
            default -> null;
        };
    }

    /** Walks the PNG chunks: each must fit in the file and an IEND chunk must be reached. */
    private static String png(byte[] b) {
        long p = 8;
        while (p + 8 <= b.length) {
            long len = u32be(b, (int) p);
            String type = new String(b, (int) p + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (p + 12 + len > b.length) {
                return "PNG chunk " + type + " at byte " + p + " declares " + len + " bytes but the file ends at "
                        + b.length + " (truncated)";
            }
            if (type.equals("IEND")) {
                return null;
            }
            p += 12 + len;
        }
        return "PNG has no IEND chunk (truncated after " + b.length + " bytes)";
    }

    /**
     * A JPEG's entropy-coded data can hold no 0xFFD9 or 0xFFDA byte pair (0xFF is stuffed), so the
     * last EOI marker must come after the last start-of-scan marker.
     */
    private static String jpeg(byte[] b) {
        int lastSos = -1;
        int lastEoi = -1;
        for (int i = b.length - 2; i >= 2 && lastSos < 0; i--) {
            if ((b[i] & 0xFF) == 0xFF) {
                int m = b[i + 1] & 0xFF;
                if (m == 0xD9 && lastEoi < 0) {
                    lastEoi = i;
                } else if (m == 0xDA) {
                    lastSos = i;
                }
            }
        }
        if (lastSos < 0) {
            return "JPEG has no image data (no SOS marker)";
        }
        if (lastEoi < lastSos) {
            return "JPEG has no EOI marker after its last scan (truncated after " + b.length + " bytes)";
        }
        return null;
    }

    /** A GIF ends with the trailer byte 0x3B (trailing zero padding tolerated). */
    private static String gif(byte[] b) {
        int end = b.length - 1;
        while (end > 0 && b[end] == 0) {
            end--;
        }
        return b[end] == 0x3B ? null : "GIF has no trailer byte 0x3B (truncated after " + b.length + " bytes)";
    }

    /** An uncompressed BMP must hold offset + stride*height bytes; a compressed one its image size. */
    private static String bmp(byte[] b) {
        if (b.length < 30) {
            return "BMP header is cut short (" + b.length + " bytes)";
        }
        long off = u32le(b, 10);
        long dib = u32le(b, 14);
        long w;
        long h;
        int bpp;
        long compression = 0;
        long sizeImage = 0;
        if (dib == 12) {
            w = u16le(b, 18);
            h = u16le(b, 20);
            bpp = u16le(b, 24);
        } else if (dib >= 40 && b.length >= 38) {
            w = (int) u32le(b, 18);
            h = Math.abs((int) u32le(b, 22));
            bpp = u16le(b, 28);
            compression = u32le(b, 30);
            sizeImage = u32le(b, 34);
        } else {
            return null; // unusual header: leave it to the decoder
        }
        long need;
        if (compression == 0 || compression == 3 || compression == 6) {
            long stride = (w * bpp + 31) / 32 * 4;
            need = off + stride * h;
        } else {
            need = off + sizeImage;
        }
        return need > b.length ? "BMP pixel data needs " + need + " bytes but the file has " + b.length + " (truncated)"
                : null;
    }

    private static long u32be(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    private static long u32le(byte[] b, int p) {
        return ((long) (b[p + 3] & 0xFF) << 24) | (b[p + 2] & 0xFF) << 16 | (b[p + 1] & 0xFF) << 8 | (b[p] & 0xFF);
    }

    private static int u16le(byte[] b, int p) {
        return (b[p + 1] & 0xFF) << 8 | (b[p] & 0xFF);
    }
}
