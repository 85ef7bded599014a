package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code reduce_to_side}: DCT-domain 1/2, 1/4, 1/8 decoding through libjpeg-turbo. */
class ScaledJpegDecodeTest {
    private static final int[] RED = {230, 20, 20};
    private static final int[] BLUE = {20, 20, 230};

    @Test
    void denominatorKeepsBothSidesAtLeastTheTarget() {
        assertEquals(1, TurboJpegDecoder.scaleDenominator(640, 480, 0));
        assertEquals(1, TurboJpegDecoder.scaleDenominator(640, 480, 241));
        assertEquals(2, TurboJpegDecoder.scaleDenominator(640, 480, 240));
        assertEquals(4, TurboJpegDecoder.scaleDenominator(640, 480, 120));
        assertEquals(8, TurboJpegDecoder.scaleDenominator(640, 480, 60));
        assertEquals(8, TurboJpegDecoder.scaleDenominator(640, 480, 1));
        assertEquals(4, TurboJpegDecoder.scaleDenominator(4000, 3000, 416)); // detection at 416: 1000x750
        assertEquals(8, TurboJpegDecoder.scaleDenominator(4000, 3000, 64)); // training at 64: 500x375
        assertEquals(4, TurboJpegDecoder.scaleDenominator(101, 50, 13)); // rounded up like libjpeg-turbo: 26x13
    }

    @Test
    void scaledDecodeKeepsContentAndOrientation() throws Exception {
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.Options.defaults().withDecoder(DecoderChoice.TURBO).withReduceToSide(16));
        byte[] jpeg = TestImages.jpeg(TestImages.halves(128, 64, RED, BLUE), 0.95f);
        ImageData img = decoder.decode(jpeg, "x.jpg").image();
        assertEquals(32, img.width()); // 1/4: 32x16, both sides >= 16
        assertEquals(16, img.height());
        assertClose(RED, img, 4, 8);
        assertClose(BLUE, img, 28, 8);
        // EXIF 6 is applied after scaling: 16 wide, 32 high, red on top
        DecodedImage rotated = decoder.decode(TestImages.withOrientation(jpeg, 6, false), "r.jpg");
        assertEquals(16, rotated.image().width());
        assertEquals(32, rotated.image().height());
        assertClose(RED, rotated.image(), 8, 4);
        assertClose(BLUE, rotated.image(), 8, 28);
    }

    @Test
    void imageIoIgnoresTheReductionAndDecodesFullSize() throws Exception {
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.Options.defaults().withDecoder(DecoderChoice.IMAGEIO).withReduceToSide(16));
        ImageData img = decoder.decode(TestImages.jpeg(TestImages.halves(128, 64, RED, BLUE), 0.95f), "x.jpg").image();
        assertEquals(128, img.width());
    }

    private static void assertClose(int[] want, ImageData img, int x, int y) {
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(img.get(x, y, c) - want[c]) <= 24, "(" + x + "," + y + ") channel " + c + ": " + img.get(x, y, c));
        }
    }
}
