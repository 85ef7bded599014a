package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** {@link PngEncoder} round trips (read back by ImageIO too) and {@link PngChunkCrc}'s verdicts. */
class PngCodecTest {
    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void everyLevelAndChannelCountRoundTripsExactly() throws Exception {
        for (int ch : new int[] {1, 3, 4}) {
            ImageData img = TestImages.pattern(37, 23, ch);
            for (int level = 0; level <= 9; level++) {
                byte[] png = new PngEncoder(level).encode(img);
                DecodedImage d = decoder.decode(png, "p.png");
                assertEquals(img, d.image(), "channels " + ch + " level " + level);
                assertTrue(d.notes().isEmpty(), d.notes().toString());
                BufferedImage viaImageIo = ImageIO.read(new ByteArrayInputStream(png));
                assertEquals(img, ImageData.fromBufferedImage(viaImageIo), "ImageIO reads it too");
            }
        }
    }

    /** libdeflate (when installed, what write-images uses) and the JDK's zlib give the same pixels at every level and shape. */
    @Test
    void libdeflateAndJdkZlibStreamsDecodeToTheSamePixels() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(LibDeflate.BINDING.available(), LibDeflate.BINDING.error());
        assertEquals("libdeflate", PngEncoder.deflater());
        java.util.Random random = new java.util.Random(17);
        for (int shape = 0; shape < 12; shape++) {
            int w = 1 + random.nextInt(shape < 6 ? 9 : 300);
            int h = 1 + random.nextInt(shape < 6 ? 9 : 200);
            int ch = new int[] {1, 3, 4}[shape % 3];
            ImageData img = shape % 2 == 0 ? TestImages.pattern(w, h, ch) : noise(w, h, ch, random);
            for (int level : new int[] {0, 1, 3, 6, 9}) {
                byte[] fast = new PngEncoder(level).encode(img);
                byte[] zlib = PngEncoder.withJdkZlib(level).encode(img);
                assertEquals(img, decoder.decode(fast, "f.png").image(), w + "x" + h + "x" + ch + " level " + level);
                assertEquals(img, decoder.decode(zlib, "z.png").image(), w + "x" + h + "x" + ch + " level " + level);
                assertEquals(img, ImageData.fromBufferedImage(ImageIO.read(new ByteArrayInputStream(fast))), "ImageIO reads libdeflate's too");
            }
        }
    }

    private static ImageData noise(int w, int h, int ch, java.util.Random random) {
        byte[] px = new byte[w * h * ch];
        random.nextBytes(px);
        return new ImageData(w, h, ch, px);
    }

    @Test
    void higherLevelsWithTheSameFilteringAreNotLarger() {
        ImageData img = TestImages.pattern(64, 64, 3);
        int l0 = new PngEncoder(0).encode(img).length;
        int l1 = new PngEncoder(1).encode(img).length; // Sub filter
        int l3 = new PngEncoder(3).encode(img).length; // Sub filter
        int l4 = new PngEncoder(4).encode(img).length; // adaptive filter
        int l9 = new PngEncoder(9).encode(img).length; // adaptive filter
        assertTrue(l3 <= l1 && l1 < l0 && l9 <= l4 && l4 < l0, "sizes level 0/1/3/4/9: " + l0 + "/" + l1 + "/" + l3 + "/" + l4 + "/" + l9);
    }

    @Test
    void damagedCriticalChunkIsCorruptAndDamagedAncillaryChunkIsANote() throws Exception {
        ImageData img = TestImages.pattern(16, 16, 3);
        byte[] png = new PngEncoder(6).encode(img);
        int idat = indexOf(png, "IDAT");
        byte[] bad = png.clone();
        bad[idat + 6] ^= 0x01; // one bit of the compressed data; the CRC no longer matches
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(bad, "b.png"));
        assertEquals(RejectReason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("IDAT") && e.getMessage().contains("bad CRC"), e.getMessage());

        byte[] text = TestImages.chunk("tEXt", "Comment\0hello".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        text[text.length - 1] ^= 0x10; // wrong CRC on an ancillary chunk
        byte[] withText = TestImages.concat(java.util.Arrays.copyOf(png, 33), text, java.util.Arrays.copyOfRange(png, 33, png.length));
        DecodedImage d = decoder.decode(withText, "t.png");
        assertEquals(img, d.image());
        assertTrue(d.notes().get(0).contains("tEXt") && d.notes().get(0).contains("ignored"), d.notes().toString());
    }

    private static int indexOf(byte[] b, String type) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + 4 <= b.length; i++) {
            for (int k = 0; k < 4; k++) if (b[i + k] != t[k]) continue outer;
            return i;
        }
        throw new AssertionError(type + " not found");
    }
}
