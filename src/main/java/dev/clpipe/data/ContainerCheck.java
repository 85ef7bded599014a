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
     * Walks the JPEG marker segments from SOI. After each start-of-scan, the entropy-coded data
     * is skipped up to the next marker (0xFF followed by anything but 0x00, a restart marker or
     * fill). The data must reach EOI; bytes after EOI (e.g. an appended video) are ignored.
     * Anything that does not look like a marker where one is due is left to the decoder.
     */
    private static String jpeg(byte[] b) {
        int n = b.length;
        int p = 2;
        while (true) {
            if (p >= n) {
                return "JPEG ends before its EOI marker (truncated after " + n + " bytes)";
            }
            if ((b[p] & 0xFF) != 0xFF) {
                return null; // not a marker: the decoder will judge
            }
            while (p < n && (b[p] & 0xFF) == 0xFF) {
                p++; // marker prefix and fill bytes
            }
            if (p >= n) {
                return "JPEG ends inside a marker (truncated after " + n + " bytes)";
            }
            int m = b[p++] & 0xFF;
            if (m == 0xD9) {
                return null;
            }
            if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                continue; // markers without a length
            }
            if (p + 2 > n) {
                return "JPEG ends inside a marker segment (truncated after " + n + " bytes)";
            }
            int len = (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
            if (len < 2) {
                return null;
            }
            if ((long) p + len > n) {
                return String.format("JPEG segment 0xFF%02X at byte %d declares %d bytes but the file ends at %d"
                        + " (truncated)", m, p - 2, len, n);
            }
            p += len;
            if (m == 0xDA) {
                p = skipEntropyData(b, p);
                if (p < 0) {
                    return "JPEG image data has no EOI marker (truncated after " + n + " bytes)";
                }
            }
        }
    }

    /** Index of the 0xFF of the marker that ends the entropy-coded data at p, or -1 at end of data. */
    private static int skipEntropyData(byte[] b, int p) {
        int n = b.length;
        while (p + 1 < n) {
            if ((b[p] & 0xFF) == 0xFF) {
                int x = b[p + 1] & 0xFF;
                if (x == 0x00 || (x >= 0xD0 && x <= 0xD7)) {
                    p += 2;
                    continue;
                }
                if (x != 0xFF) {
                    return p;
                }
            }
            p++;
        }
        return -1;
    }

    /**
     * Walks the GIF blocks (extensions and images, each a chain of sub-blocks) up to the trailer
     * byte 0x3B; bytes after the trailer are ignored.
     */
    private static String gif(byte[] b) {
        int n = b.length;
        if (n < 13) {
            return "GIF header is cut short (" + n + " bytes)";
        }
        int p = 13;
        int flags = b[10] & 0xFF;
        if ((flags & 0x80) != 0) {
            p += 3 * (1 << ((flags & 0x07) + 1)); // global colour table
        }
        while (p < n) {
            int block = b[p++] & 0xFF;
            if (block == 0x3B) {
                return null;
            } else if (block == 0x21) {
                p = skipSubBlocks(b, p + 1); // extension label, then sub-blocks
            } else if (block == 0x2C) {
                if (p + 9 > n) {
                    break;
                }
                int f = b[p + 8] & 0xFF;
                p += 9;
                if ((f & 0x80) != 0) {
                    p += 3 * (1 << ((f & 0x07) + 1)); // local colour table
                }
                p = skipSubBlocks(b, p + 1); // LZW minimum code size, then sub-blocks
            } else {
                return null; // unknown block: the decoder will judge
            }
            if (p < 0) {
                break;
            }
        }
        return "GIF ends before its trailer byte 0x3B (truncated after " + n + " bytes)";
    }

    /** Index after the zero-length terminator of a sub-block chain starting at p, or -1 at end of data. */
    private static int skipSubBlocks(byte[] b, int p) {
        while (p < b.length) {
            int size = b[p] & 0xFF;
            p += 1 + size;
            if (size == 0) {
                return p;
            }
        }
        return -1;
    }

    /** An uncompressed BMP must hold offset + stride*height bytes; a compressed one its image size. */
    private static String bmp(byte[] b) {
        if (b.length < 30) {
            return "BMP header is cut short (" + b.length + " bytes)";
        }
        long off = u32le(b, 10);
        long dib = u32le(b, 14);
        if (14 + dib > b.length && dib <= 124) {
            return "BMP header of " + (14 + dib) + " bytes is cut short at " + b.length + " (truncated)";
        }
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

    static long u32be(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    private static long u32le(byte[] b, int p) {
        return ((long) (b[p + 3] & 0xFF) << 24) | (b[p + 2] & 0xFF) << 16 | (b[p + 1] & 0xFF) << 8 | (b[p] & 0xFF);
    }

    private static int u16le(byte[] b, int p) {
        return (b[p + 1] & 0xFF) << 8 | (b[p] & 0xFF);
    }
}
