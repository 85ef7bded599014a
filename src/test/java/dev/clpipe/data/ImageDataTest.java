package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDataTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4})
    void bufferedImageRoundTripKeepsEverySample(int channels) {
        ImageData d = TestImages.pattern(7, 5, channels);
        BufferedImage img = d.toBufferedImage();
        assertEquals(d, ImageData.fromBufferedImage(img));
    }

    @Test
    void fromIntRgbImageReadsRgbOrder() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x123456);
        img.setRGB(1, 0, 0xABCDEF);
        ImageData d = ImageData.fromBufferedImage(img);
        assertEquals(3, d.channels());
        assertArrayEquals(new byte[] {0x12, 0x34, 0x56, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF}, d.pixels());
    }

    @Test
    void sixteenBitGreyIsScaledNotColourConverted() {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 32896, 65535});
        ImageData d = ImageData.fromBufferedImage(img);
        assertEquals(1, d.channels());
        assertEquals(0, d.get(0, 0, 0));
        assertEquals(128, d.get(1, 0, 0));
        assertEquals(255, d.get(2, 0, 0));
    }

    @Test
    void floatLayouts() {
        ImageData d = new ImageData(2, 1, 3, new byte[] {0, 51, (byte) 255, 102, (byte) 153, (byte) 204});
        assertArrayEquals(new float[] {0f, 0.2f, 1f, 0.4f, 0.6f, 0.8f}, d.toFloatHwc(), 1e-6f);
        float[] chw = d.toFloatChw();
        assertArrayEquals(new float[] {0f, 0.4f, 0.2f, 0.6f, 1f, 0.8f}, chw, 1e-6f);
        assertEquals(d, ImageData.fromFloatChw(2, 1, 3, chw));
    }

    @Test
    void channelConversions() {
        ImageData rgb = new ImageData(1, 1, 3, new byte[] {(byte) 200, 100, 50});
        assertEquals(4, rgb.withChannels(4).channels());
        assertEquals(255, rgb.withChannels(4).get(0, 0, 3));
        assertEquals((299 * 200 + 587 * 100 + 114 * 50 + 500) / 1000, rgb.withChannels(1).get(0, 0, 0));
        ImageData grey = new ImageData(1, 1, 1, new byte[] {77});
        assertArrayEquals(new byte[] {77, 77, 77}, grey.withChannels(3).pixels());
    }

    @Test
    void constructorValidates() {
        assertThrows(IllegalArgumentException.class, () -> new ImageData(0, 1, 3, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new ImageData(1, 1, 2, new byte[2]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageData(2, 2, 3, new byte[11]));
        assertEquals("pixels must hold width*height*channels = 12 bytes, got 11", e.getMessage());
    }
}
