package dev.clpipe.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * 8-bit grey, RGB or RGBA PNG writer: libpng's adaptive row filter (per row the filter with the
 * smallest sum of absolute differences) and zlib (the JDK's {@link Deflater}) at a chosen level;
 * level 1 is OpenCV's {@code imwrite} default. Much faster than ImageIO's PNG writer, which
 * compresses at level 9 and goes through a BufferedImage. Thread-safe (no shared state).
 */
public final class PngEncoder {
    /** Default zlib level: 1, as OpenCV writes by default (measured in {@code clpipe bench io}). */
    public static final int DEFAULT_LEVEL = 1;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private final int level;

    /** @param level zlib level 0 (store) .. 9 (smallest, slowest) */
    public PngEncoder(int level) {
        if (level < 0 || level > 9) throw new IllegalArgumentException("PNG compression level must be 0..9, got " + level);
        this.level = level;
    }

    public int level() {
        return level;
    }

    /** The PNG file of {@code image}. */
    public byte[] encode(ImageData image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.pixels().length / 2 + 1024);
        try {
            encode(image, out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    public void encode(ImageData image, OutputStream out) throws IOException {
        int w = image.width();
        int h = image.height();
        int ch = image.channels();
        out.write(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = 8;
        ihdr[9] = (byte) (ch == 1 ? 0 : ch == 3 ? 2 : 6);
        chunk(out, "IHDR", ihdr, ihdr.length);
        Deflater deflater = new Deflater(level);
        try {
            int stride = w * ch;
            byte[] filtered = new byte[h * (stride + 1)];
            filterRows(image.pixels(), w, h, ch, filtered);
            deflater.setInput(filtered);
            deflater.finish();
            byte[] buf = new byte[Math.max(64 << 10, filtered.length / 4)];
            ByteArrayOutputStream idat = new ByteArrayOutputStream(filtered.length / 2 + 64);
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                idat.write(buf, 0, n);
            }
            byte[] z = idat.toByteArray();
            chunk(out, "IDAT", z, z.length);
        } finally {
            deflater.end();
        }
        chunk(out, "IEND", new byte[0], 0);
    }

    /**
     * Filters every row (stored with its filter byte first); level 0 stores rows unfiltered, as
     * libpng does for uncompressed output.
     */
    private void filterRows(byte[] px, int w, int h, int bpp, byte[] out) {
        int stride = w * bpp;
        byte[][] cand = new byte[5][stride];
        for (int y = 0; y < h; y++) {
            int cur = y * stride;
            int prev = cur - stride;
            int o = y * (stride + 1);
            if (level == 0) {
                out[o] = 0;
                System.arraycopy(px, cur, out, o + 1, stride);
                continue;
            }
            long best = Long.MAX_VALUE;
            int bestType = 0;
            for (int type = 0; type < 5; type++) {
                if (y == 0 && type > 1) continue; // no row above: Up/Average/Paeth add nothing to None/Sub
                long sum = filter(type, px, cur, prev, y > 0, bpp, stride, cand[type]);
                if (sum < best) {
                    best = sum;
                    bestType = type;
                }
            }
            out[o] = (byte) bestType;
            System.arraycopy(cand[bestType], 0, out, o + 1, stride);
        }
    }

    /** Applies filter {@code type} to one row; returns libpng's heuristic cost (sum of |signed byte|). */
    private static long filter(int type, byte[] px, int cur, int prev, boolean hasPrev, int bpp, int stride, byte[] dst) {
        long sum = 0;
        for (int i = 0; i < stride; i++) {
            int x = px[cur + i] & 0xFF;
            int a = i >= bpp ? px[cur + i - bpp] & 0xFF : 0;
            int b = hasPrev ? px[prev + i] & 0xFF : 0;
            int c = hasPrev && i >= bpp ? px[prev + i - bpp] & 0xFF : 0;
            int v = switch (type) {
                case 0 -> x;
                case 1 -> x - a;
                case 2 -> x - b;
                case 3 -> x - ((a + b) >>> 1);
                default -> x - paeth(a, b, c);
            };
            byte f = (byte) v;
            dst[i] = f;
            sum += Math.abs((int) f);
        }
        return sum;
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void chunk(OutputStream out, String type, byte[] data, int len) throws IOException {
        byte[] head = new byte[8];
        putInt(head, 0, len);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, head, 4, 4);
        out.write(head);
        out.write(data, 0, len);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data, 0, len);
        byte[] tail = new byte[4];
        putInt(tail, 0, (int) crc.getValue());
        out.write(tail);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
