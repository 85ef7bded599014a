package dev.clpipe.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * 8-bit grey, RGB or RGBA PNG writer: the Sub row filter at levels 1..3 (fast), libpng's adaptive
 * row filter above (per row the filter with the smallest sum of absolute differences), and
 * DEFLATE at the chosen level through libdeflate when installed (twice zlib's speed at level 1,
 * same size), else the JDK's zlib {@link Deflater} (the write stage says so once);
 * level 1 is OpenCV's {@code imwrite} default. Much faster than ImageIO's PNG writer, which
 * compresses at level 9 and goes through a BufferedImage. Thread-safe (no shared state).
 */
public final class PngEncoder {
    /** Default zlib level: 1, as OpenCV writes by default (measured in {@code clpipe bench io}). */
    public static final int DEFAULT_LEVEL = 1;
    /**
     * Up to this level every row uses the Sub filter: on the photos the adaptive choice costs twice
     * the CPU (26 vs 51 images per CPU-second at level 1) for 1.4% smaller files.
     */
    static final int FIXED_FILTER_MAX_LEVEL = 3;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private final int level;
    private final boolean libdeflate;

    /** @param level zlib level 0 (store) .. 9 (smallest, slowest) */
    public PngEncoder(int level) {
        this(level, LibDeflate.BINDING.available());
    }

    private PngEncoder(int level, boolean libdeflate) {
        if (level < 0 || level > 9) throw new IllegalArgumentException("PNG compression level must be 0..9, got " + level);
        this.level = level;
        this.libdeflate = libdeflate;
    }

    /** An encoder that compresses with the JDK's zlib even when libdeflate is installed (to compare them). */
    public static PngEncoder withJdkZlib(int level) {
        return new PngEncoder(level, false);
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
        int stride = w * ch;
        byte[] filtered = new byte[h * (stride + 1)];
        filterRows(image.pixels(), w, h, ch, filtered);
        if (libdeflate) {
            LibDeflate.Compressed z = LibDeflate.zlibCompress(filtered, level);
            chunk(out, "IDAT", z.bytes(), z.length());
        } else {
            byte[] z = zlib(filtered);
            chunk(out, "IDAT", z, z.length);
        }
        chunk(out, "IEND", new byte[0], 0);
    }

    /** The JDK's zlib: about half libdeflate's speed at level 1 (used only without libdeflate). */
    private byte[] zlib(byte[] filtered) {
        Deflater deflater = new Deflater(level);
        try {
            deflater.setInput(filtered);
            deflater.finish();
            byte[] buf = new byte[Math.max(64 << 10, filtered.length / 4)];
            ByteArrayOutputStream idat = new ByteArrayOutputStream(filtered.length / 2 + 64);
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                idat.write(buf, 0, n);
            }
            return idat.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** The DEFLATE library that compresses: "libdeflate" when installed, else "zlib" (the JDK's). */
    public static String deflater() {
        return LibDeflate.BINDING.available() ? LibDeflate.NAME : "zlib";
    }

    /** Why libdeflate is not used (with how to install it), or null when it is. */
    public static String libdeflateUnavailableReason() {
        return LibDeflate.BINDING.error();
    }

    /** The loaded libdeflate file, or null. */
    public static String libdeflateFile() {
        return LibDeflate.BINDING.file();
    }

    /**
     * Filters every row (stored with its filter byte first); level 0 stores rows unfiltered, as
     * libpng does for uncompressed output; levels up to {@link #FIXED_FILTER_MAX_LEVEL} use Sub;
     * above, one pass per row scores all five filters and a second writes the winner.
     */
    private void filterRows(byte[] px, int w, int h, int bpp, byte[] out) {
        int stride = w * bpp;
        for (int y = 0; y < h; y++) {
            int cur = y * stride;
            int o = y * (stride + 1);
            if (level == 0) {
                out[o] = 0;
                System.arraycopy(px, cur, out, o + 1, stride);
                continue;
            }
            int type = level <= FIXED_FILTER_MAX_LEVEL ? 1
                    : y == 0 ? bestFirstRow(px, cur, bpp, stride) : bestRow(px, cur, cur - stride, bpp, stride);
            out[o] = (byte) type;
            apply(type, px, cur, cur - stride, y > 0, bpp, stride, out, o + 1);
        }
    }

    /** libpng's heuristic: the filter whose residuals, as signed bytes, have the smallest absolute sum. */
    private static int bestRow(byte[] px, int cur, int prev, int bpp, int stride) {
        long s0 = 0;
        long s1 = 0;
        long s2 = 0;
        long s3 = 0;
        long s4 = 0;
        for (int i = 0; i < bpp; i++) { // no left neighbour: a = c = 0
            int x = px[cur + i] & 0xFF;
            int b = px[prev + i] & 0xFF;
            s0 += Math.abs((byte) x);
            s1 += Math.abs((byte) x);
            s2 += Math.abs((byte) (x - b));
            s3 += Math.abs((byte) (x - (b >>> 1)));
            s4 += Math.abs((byte) (x - b));
        }
        for (int i = bpp; i < stride; i++) {
            int x = px[cur + i] & 0xFF;
            int a = px[cur + i - bpp] & 0xFF;
            int b = px[prev + i] & 0xFF;
            int c = px[prev + i - bpp] & 0xFF;
            s0 += Math.abs((byte) x);
            s1 += Math.abs((byte) (x - a));
            s2 += Math.abs((byte) (x - b));
            s3 += Math.abs((byte) (x - ((a + b) >>> 1)));
            s4 += Math.abs((byte) (x - paeth(a, b, c)));
        }
        int best = 0;
        long min = s0;
        if (s1 < min) { min = s1; best = 1; }
        if (s2 < min) { min = s2; best = 2; }
        if (s3 < min) { min = s3; best = 3; }
        if (s4 < min) { best = 4; }
        return best;
    }

    private static int bestFirstRow(byte[] px, int cur, int bpp, int stride) {
        long s0 = 0;
        long s1 = 0;
        for (int i = 0; i < stride; i++) {
            int x = px[cur + i] & 0xFF;
            int a = i >= bpp ? px[cur + i - bpp] & 0xFF : 0;
            s0 += Math.abs((byte) x);
            s1 += Math.abs((byte) (x - a));
        }
        return s1 < s0 ? 1 : 0;
    }

    private static void apply(int type, byte[] px, int cur, int prev, boolean hasPrev, int bpp, int stride, byte[] dst, int d) {
        if (type == 0) {
            System.arraycopy(px, cur, dst, d, stride);
            return;
        }
        for (int i = 0; i < stride; i++) {
            int x = px[cur + i] & 0xFF;
            int a = i >= bpp ? px[cur + i - bpp] & 0xFF : 0;
            int b = hasPrev ? px[prev + i] & 0xFF : 0;
            int c = hasPrev && i >= bpp ? px[prev + i - bpp] & 0xFF : 0;
            dst[d + i] = (byte) switch (type) {
                case 1 -> x - a;
                case 2 -> x - b;
                case 3 -> x - ((a + b) >>> 1);
                default -> x - paeth(a, b, c);
            };
        }
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
