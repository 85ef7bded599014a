package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every case runs with libjpeg-turbo here and with ImageIO in {@link ImageDecoderImageIoTest}. */
class ImageDecoderTest {
    private static final int[] RED = {230, 20, 20};
    private static final int[] BLUE = {20, 20, 230};
    /** JPEG is lossy: per-sample tolerance for flat 8x8-aligned colour areas. */
    private static final int JPEG_TOLERANCE = 24;

    private final ImageDecoder decoder = new ImageDecoder(base());

    /** The options every decoder in this test starts from: JPEGs through libjpeg-turbo here. */
    ImageDecoder.Options base() {
        return ImageDecoder.Options.defaults().withDecoder(DecoderChoice.TURBO);
    }

    @TempDir
    Path dir;

    /** The cases below test the decoder this class names, not whichever one happens to run. */
    @Test
    void jpegsGoThroughTheChosenDecoder() throws Exception {
        assertEquals(DecoderChoice.TURBO_NAME, decodedJpeg().decoder());
    }

    DecodedImage decodedJpeg() throws Exception {
        return decoder.decode(TestImages.jpeg(TestImages.pattern(8, 8, 3), 0.9f), "p.jpg");
    }

    private ImageRejectedException refused(ImageDecoder d, byte[] bytes, String name) {
        return assertThrows(ImageRejectedException.class, () -> d.decode(bytes, name));
    }

    private static void assertColour(int[] want, ImageData img, int x, int y) {
        for (int c = 0; c < 3; c++) {
            int got = img.get(x, y, c);
            assertTrue(Math.abs(got - want[c]) <= JPEG_TOLERANCE,
                    "pixel (" + x + "," + y + ") channel " + c + ": want ~" + want[c] + ", got " + got);
        }
    }

    @Test
    void pngRoundTripsExactlyForGreyRgbAndRgba() throws Exception {
        for (int ch : new int[] {1, 3, 4}) {
            ImageData want = TestImages.pattern(13, 9, ch);
            DecodedImage got = decoder.decode(TestImages.png(want), "x.png");
            assertEquals(want, got.image(), "channels " + ch);
            assertEquals(ImageFormat.PNG, got.format());
            assertTrue(got.notes().isEmpty());
        }
    }

    @Test
    void bmpAndGifRoundTripExactly() throws Exception {
        ImageData want = TestImages.pattern(11, 6, 3);
        assertEquals(want, decoder.decode(TestImages.bmp(want), "x.bmp").image());
        // few colours: GIF's palette holds them all exactly
        ImageData flat = TestImages.halves(16, 8, RED, BLUE);
        DecodedImage gif = decoder.decode(TestImages.gif(flat), "x.gif");
        assertEquals(flat, gif.image());
        assertEquals(ImageFormat.GIF, gif.format());
    }

    @Test
    void greyWithAlphaBecomesRgbaAndGreyPaletteStaysGrey() throws Exception {
        java.awt.image.ComponentColorModel cm = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), true, false,
                java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
        java.awt.image.BufferedImage ga = new java.awt.image.BufferedImage(cm,
                cm.createCompatibleWritableRaster(2, 1), false, null);
        ga.getRaster().setPixels(0, 0, 2, 1, new int[] {10, 200, 90, 30});
        ImageData d = decoder.decode(TestImages.encode(ga, "png"), "ga.png").image();
        assertEquals(new ImageData(2, 1, 4, new byte[] {10, 10, 10, (byte) 200, 90, 90, 90, 30}), d);

        java.awt.image.BufferedImage bin = new java.awt.image.BufferedImage(3, 1,
                java.awt.image.BufferedImage.TYPE_BYTE_BINARY);
        bin.getRaster().setPixels(0, 0, 3, 1, new int[] {1, 0, 1});
        ImageData b = decoder.decode(TestImages.encode(bin, "png"), "bin.png").image();
        assertEquals(new ImageData(3, 1, 1, new byte[] {(byte) 255, 0, (byte) 255}), b);
    }

    @Test
    void sixteenBitPngIsScaledTo8Bits() throws Exception {
        ImageData d = decoder.decode(TestImages.grey16Png(3, 1, new int[] {0, 32896, 65535}), "g.png").image();
        assertEquals(1, d.channels());
        assertEquals(0, d.get(0, 0, 0));
        assertEquals(128, d.get(1, 0, 0));
        assertEquals(255, d.get(2, 0, 0));
    }

    @Test
    void jpegDecodesCloseToTheSource() throws Exception {
        ImageData img = decoder.decode(TestImages.jpeg(TestImages.halves(32, 16, RED, BLUE), 0.95f), "x.jpg").image();
        assertEquals(32, img.width());
        assertEquals(16, img.height());
        assertColour(RED, img, 4, 8);
        assertColour(BLUE, img, 28, 8);
    }

    @Test
    void cmykJpegDecodesToRgb() throws Exception {
        // C = 4x, M = 4y, Y = 0, K = 30: at (0,0) a light grey (naive formula: 255*(1-30/255) = 225;
        // the JDK's CMYK conversion gives 241); cyan grows to the right, magenta downwards.
        ImageData img = decoder.decode(TestImages.cmykJpeg(16, 16), "c.jpg").image();
        assertEquals(3, img.channels());
        assertColour(new int[] {233, 233, 233}, img, 0, 0);
        assertTrue(img.get(15, 0, 0) < img.get(0, 0, 0) - 20, "more cyan must mean less red");
        assertTrue(Math.abs(img.get(15, 0, 1) - img.get(0, 0, 1)) < 6, "cyan must not change green");
        assertTrue(img.get(0, 15, 1) < img.get(0, 0, 1) - 20, "more magenta must mean less green");
    }

    @Test
    void exifOrientationSixRotatesClockwise() throws Exception {
        // stored: red left, blue right; displayed after 90° clockwise: red on top, blue at the bottom
        byte[] jpeg = TestImages.withOrientation(TestImages.jpeg(TestImages.halves(64, 32, RED, BLUE), 0.95f), 6, false);
        DecodedImage d = decoder.decode(jpeg, "r.jpg");
        assertEquals(6, d.orientation());
        assertEquals(32, d.image().width());
        assertEquals(64, d.image().height());
        assertColour(RED, d.image(), 16, 8);
        assertColour(BLUE, d.image(), 16, 56);
    }

    @Test
    void exifOrientationEightRotatesCounterClockwise() throws Exception {
        byte[] jpeg = TestImages.withOrientation(TestImages.jpeg(TestImages.halves(64, 32, RED, BLUE), 0.95f), 8, true);
        ImageData img = decoder.decode(jpeg, "r.jpg").image();
        assertEquals(32, img.width());
        assertColour(BLUE, img, 16, 8);
        assertColour(RED, img, 16, 56);
    }

    @Test
    void wrongExtensionIsANoteByDefaultAndARefusalWhenStrict() throws Exception {
        byte[] png = TestImages.png(TestImages.pattern(4, 4, 3));
        DecodedImage d = decoder.decode(png, "photo.jpg");
        assertEquals(ImageFormat.PNG, d.format());
        assertEquals(1, d.notes().size());
        assertTrue(d.notes().get(0).contains("extension .jpg but the content is PNG"), d.notes().get(0));
        ImageDecoder strict = new ImageDecoder(base().withStrictExtension(true));
        assertEquals(RejectReason.WRONG_EXTENSION, refused(strict, png, "photo.jpg").reason());
        assertEquals(ImageFormat.PNG, strict.decode(png, "photo.PNG").format());
    }

    @Test
    void refusesEmptyFileNamingIt() throws Exception {
        Path f = dir.resolve("empty.png");
        Files.write(f, new byte[0]);
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(f, "a/empty.png"));
        assertEquals(RejectReason.EMPTY, e.reason());
        assertEquals("a/empty.png: file is empty (0 bytes)", e.getMessage());
        assertEquals("empty", e.reason().code());
    }

    @Test
    void refusesTextNamedJpg() {
        ImageRejectedException e = refused(decoder, "just text".getBytes(), "t.jpg");
        assertEquals(RejectReason.NOT_IMAGE, e.reason());
        assertTrue(e.getMessage().contains("looks like text"), e.getMessage());
    }

    @Test
    void refusesDecompressionBombFromTheHeaderAlone() {
        ImageRejectedException e = refused(decoder, TestImages.pngDeclaring(100_000, 100_000), "bomb.png");
        assertEquals(RejectReason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
    }

    @Test
    void pixelAndSideLimitsAreConfigurable() throws Exception {
        byte[] png = TestImages.png(TestImages.pattern(20, 10, 3));
        ImageDecoder.Options o = base();
        assertEquals(RejectReason.TOO_LARGE, refused(new ImageDecoder(o.withMaxPixels(199)), png, "a.png").reason());
        new ImageDecoder(o.withMaxPixels(200)).decode(png, "a.png");
        assertEquals(RejectReason.TOO_LARGE, refused(new ImageDecoder(o.withMaxSide(19)), png, "a.png").reason());
        assertEquals(RejectReason.FILE_TOO_LARGE,
                refused(new ImageDecoder(o.withMaxFileBytes(50)), png, "a.png").reason());
        // 40000 x 10 is under 50 MP but over the default side limit
        assertEquals(RejectReason.TOO_LARGE, refused(decoder, TestImages.pngDeclaring(40_000, 10), "w.png").reason());
    }

    @Test
    void refusesTruncationOfEveryFormat() {
        ImageData img = TestImages.pattern(24, 24, 3);
        byte[] png = TestImages.png(img);
        byte[] jpeg = TestImages.jpeg(img, 0.9f);
        byte[] gif = TestImages.gif(img);
        byte[] bmp = TestImages.bmp(img);
        for (int keep : new int[] {png.length - 1, png.length - 12, png.length / 2, 20}) {
            assertEquals(RejectReason.TRUNCATED, refused(decoder, TestImages.truncate(png, keep), "p.png").reason(),
                    "png cut at " + keep);
        }
        for (int keep : new int[] {jpeg.length - 1, jpeg.length - 2, jpeg.length / 2, 30}) {
            assertEquals(RejectReason.TRUNCATED, refused(decoder, TestImages.truncate(jpeg, keep), "j.jpg").reason(),
                    "jpeg cut at " + keep);
        }
        assertEquals(RejectReason.TRUNCATED, refused(decoder, TestImages.truncate(gif, gif.length - 1), "g.gif").reason());
        assertEquals(RejectReason.TRUNCATED, refused(decoder, TestImages.truncate(bmp, bmp.length - 1), "b.bmp").reason());
    }

    @Test
    void trailingBytesAfterTheEndMarkerAreAccepted() throws Exception {
        byte[] jpeg = TestImages.jpeg(TestImages.pattern(8, 8, 3), 0.9f);
        decoder.decode(TestImages.concat(jpeg, new byte[] {0, 0, 0, 0}), "j.jpg");
        // e.g. a "motion photo": a video appended after EOI, containing marker-like byte pairs
        byte[] video = {(byte) 0xFF, (byte) 0xDA, 0, 8, 1, 2, 3, (byte) 0xFF, (byte) 0xC4, 9};
        decoder.decode(TestImages.concat(jpeg, video), "j.jpg");
        byte[] png = TestImages.png(TestImages.pattern(8, 8, 3));
        decoder.decode(TestImages.concat(png, new byte[] {1, 2, 3}), "p.png");
        byte[] gif = TestImages.gif(TestImages.pattern(8, 8, 3));
        decoder.decode(TestImages.concat(gif, new byte[] {'j', 'u', 'n', 'k'}), "g.gif");
    }

    @Test
    void everyCutOfEveryFormatIsCaught() {
        // progressive-free baseline JPEG and a GIF: no prefix of the file may pass as complete
        byte[] jpeg = TestImages.jpeg(TestImages.pattern(16, 16, 3), 0.9f);
        for (int keep = 3; keep < jpeg.length; keep++) {
            RejectReason r = refused(decoder, TestImages.truncate(jpeg, keep), "j.jpg").reason();
            assertEquals(RejectReason.TRUNCATED, r, "jpeg cut at " + keep + " of " + jpeg.length);
        }
        byte[] gif = TestImages.gif(TestImages.pattern(16, 16, 3));
        for (int keep = 6; keep < gif.length; keep++) {
            RejectReason r = refused(decoder, TestImages.truncate(gif, keep), "g.gif").reason();
            assertEquals(RejectReason.TRUNCATED, r, "gif cut at " + keep + " of " + gif.length);
        }
        byte[] png = TestImages.png(TestImages.pattern(16, 16, 4));
        for (int keep = 8; keep < png.length; keep++) {
            RejectReason r = refused(decoder, TestImages.truncate(png, keep), "p.png").reason();
            assertEquals(RejectReason.TRUNCATED, r, "png cut at " + keep + " of " + png.length);
        }
        byte[] bmp = TestImages.bmp(TestImages.pattern(5, 3, 3));
        for (int keep = 26; keep < bmp.length; keep++) {
            RejectReason r = refused(decoder, TestImages.truncate(bmp, keep), "b.bmp").reason();
            assertEquals(RejectReason.TRUNCATED, r, "bmp cut at " + keep + " of " + bmp.length);
        }
    }

    @Test
    void refusesKnownButUnsupportedFormats() {
        assertEquals(RejectReason.UNSUPPORTED_FORMAT,
                refused(decoder, new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8}, "a.tif").reason());
        byte[] webp = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '};
        assertEquals(RejectReason.UNSUPPORTED_FORMAT, refused(decoder, webp, "a.webp").reason());
    }

    @Test
    void refusesCorruptPixelData() {
        byte[] png = TestImages.png(TestImages.pattern(16, 16, 3));
        for (int i = 41; i < png.length - 20; i++) {
            png[i] ^= 0x5A;
        }
        assertEquals(RejectReason.CORRUPT, refused(decoder, png, "g.png").reason());
    }

    @Test
    void missingFileIsAnIoError() {
        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> decoder.decode(dir.resolve("nope.png")));
        assertEquals(RejectReason.IO_ERROR, e.reason());
    }
}
