package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Thousands of hostile JPEG and PNG files (seeded: truncations re-terminated so they reach the
 * native decoder, bit flips, random bytes, absurd marker lengths and dimensions, garbage segments,
 * duplicated scans) through libjpeg-turbo and ImageIO: each is decoded or refused with an
 * {@link ImageRejectedException}; nothing else is thrown, the JVM survives (a native crash would
 * end the test run), and no file takes long (no hang).
 */
class HostileFileFuzzTest {
    private static final int CASES_PER_SEED_FILE = 400;
    private static final long SLOW_CASE_NANOS = 2_000_000_000L;

    @Test
    void hostileJpegsAndPngsAreDecodedOrRefusedByBothDecoders() {
        ImageData rgb = TestImages.pattern(40, 24, 3);
        List<byte[]> jpegs = List.of(TestImages.jpeg(rgb, 0.8f), TestImages.progressiveJpeg(rgb, 0.8f),
                TestImages.jpeg(TestImages.pattern(17, 9, 1), 0.9f), TestImages.cmykJpeg(16, 16),
                TestImages.withOrientation(TestImages.jpeg(rgb, 0.8f), 6, true));
        List<byte[]> pngs = List.of(TestImages.png(rgb), TestImages.png(TestImages.pattern(9, 7, 4)),
                TestImages.grey16Png(5, 3, new int[15]));
        int cases = 0;
        for (DecoderChoice choice : new DecoderChoice[] {DecoderChoice.TURBO, DecoderChoice.IMAGEIO}) {
            ImageDecoder decoder = new ImageDecoder(ImageDecoder.Options.defaults().withDecoder(choice)
                    .withMaxPixels(4_000_000));
            SplittableRandom rnd = new SplittableRandom(17);
            for (byte[] seed : jpegs) cases += fuzz(decoder, seed, "f.jpg", true, rnd);
            for (byte[] seed : pngs) cases += fuzz(decoder, seed, "f.png", false, rnd);
        }
        assertTrue(cases >= 6000, "only " + cases + " cases");
    }

    private static int fuzz(ImageDecoder decoder, byte[] seed, String name, boolean jpeg, SplittableRandom rnd) {
        for (int c = 0; c < CASES_PER_SEED_FILE; c++) {
            byte[] b = mutate(seed, jpeg, rnd);
            long t0 = System.nanoTime();
            try {
                decoder.decode(b, name);
            } catch (ImageRejectedException expected) {
                // refusing is fine
            } catch (RuntimeException e) {
                fail(name + " case " + c + " (" + decoder.decoderFor(ImageFormat.JPEG) + ") threw " + e, e);
            }
            long took = System.nanoTime() - t0;
            assertTrue(took < SLOW_CASE_NANOS, name + " case " + c + " took " + took / 1e6 + " ms");
        }
        return CASES_PER_SEED_FILE;
    }

    private static byte[] mutate(byte[] seed, boolean jpeg, SplittableRandom rnd) {
        byte[] b = seed.clone();
        switch (rnd.nextInt(6)) {
            case 0 -> { // truncated, then given its end marker back so the container check passes it on
                int keep = 2 + rnd.nextInt(b.length - 2);
                byte[] end = jpeg ? new byte[] {(byte) 0xFF, (byte) 0xD9} : TestImages.chunk("IEND", new byte[0]);
                b = TestImages.concat(TestImages.truncate(b, keep), end);
            }
            case 1 -> { // bit flips
                for (int k = 1 + rnd.nextInt(8); k > 0; k--) b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            case 2 -> { // random bytes
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            case 3 -> b = jpeg ? absurdLength(b, rnd) : absurdPngLength(b, rnd);
            case 4 -> b = jpeg ? absurdSize(b, rnd) : absurdPngSize(b, rnd);
            default -> b = insertGarbageSegment(b, jpeg, rnd);
        }
        return b;
    }

    /** Offsets of every marker segment (FF xx with a length) before the first scan's data. */
    private static List<Integer> segments(byte[] b) {
        List<Integer> out = new ArrayList<>();
        int pos = 2;
        while (pos + 4 <= b.length && (b[pos] & 0xFF) == 0xFF) {
            out.add(pos);
            if ((b[pos + 1] & 0xFF) == 0xDA) break;
            pos += 2 + (((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF));
        }
        return out;
    }

    private static byte[] absurdLength(byte[] b, SplittableRandom rnd) {
        List<Integer> seg = segments(b);
        int at = seg.get(rnd.nextInt(seg.size()));
        int[] lengths = {0, 1, 2, 3, 0xFFFF, 0x7FFF, b.length};
        int len = lengths[rnd.nextInt(lengths.length)] & 0xFFFF;
        b[at + 2] = (byte) (len >> 8);
        b[at + 3] = (byte) len;
        return b;
    }

    /** SOF dimensions or component count set to extremes. */
    private static byte[] absurdSize(byte[] b, SplittableRandom rnd) {
        for (int at : segments(b)) {
            int m = b[at + 1] & 0xFF;
            if (m >= 0xC0 && m <= 0xC2) {
                int[] dims = {0, 1, 65535, 65500, 8193, rnd.nextInt(65536)};
                int hgt = dims[rnd.nextInt(dims.length)];
                int wid = dims[rnd.nextInt(dims.length)];
                b[at + 5] = (byte) (hgt >> 8);
                b[at + 6] = (byte) hgt;
                b[at + 7] = (byte) (wid >> 8);
                b[at + 8] = (byte) wid;
                if (rnd.nextInt(4) == 0) b[at + 9] = (byte) rnd.nextInt(256); // component count
                if (rnd.nextInt(4) == 0) b[at + 11] = (byte) rnd.nextInt(256); // sampling factors
            }
        }
        return b;
    }

    private static byte[] insertGarbageSegment(byte[] b, boolean jpeg, SplittableRandom rnd) {
        byte[] body = new byte[rnd.nextInt(300)];
        rnd.nextBytes(body);
        byte[] seg;
        if (jpeg) {
            int[] markers = {0xC4, 0xDB, 0xDD, 0xDA, 0xC0, 0xC2, 0xE1, 0xE2, 0xFE, 0xD0, 0xCC};
            int marker = markers[rnd.nextInt(markers.length)];
            int len = body.length + 2;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0xFF);
            out.write(marker);
            out.write(len >> 8);
            out.write(len);
            out.write(body, 0, body.length);
            seg = out.toByteArray();
        } else {
            String[] types = {"IHDR", "PLTE", "IDAT", "tRNS", "zTXt", "iCCP", "acTL"};
            seg = TestImages.chunk(types[rnd.nextInt(types.length)], body);
        }
        List<Integer> at = jpeg ? segments(b) : List.of(8, 33);
        int pos = at.get(rnd.nextInt(at.size()));
        return TestImages.concat(TestImages.truncate(b, pos), seg, java.util.Arrays.copyOfRange(b, pos, b.length));
    }

    private static byte[] absurdPngLength(byte[] b, SplittableRandom rnd) {
        int at = rnd.nextBoolean() ? 8 : 33; // IHDR's or the next chunk's length
        int[] lengths = {0, -1, 0x7FFFFFFF, 13, b.length, rnd.nextInt()};
        int len = lengths[rnd.nextInt(lengths.length)];
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (len >>> (24 - 8 * i));
        return b;
    }

    private static byte[] absurdPngSize(byte[] b, SplittableRandom rnd) {
        int[] dims = {0, 1, 0x7FFFFFFF, 65535, -1, rnd.nextInt(5000)};
        for (int off : new int[] {16, 20}) {
            int v = dims[rnd.nextInt(dims.length)];
            for (int i = 0; i < 4; i++) b[off + i] = (byte) (v >>> (24 - 8 * i));
        }
        if (rnd.nextBoolean()) b[24] = (byte) rnd.nextInt(20); // bit depth
        if (rnd.nextBoolean()) b[25] = (byte) rnd.nextInt(8); // colour type
        return b;
    }
}
