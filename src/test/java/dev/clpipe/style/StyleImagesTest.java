package dev.clpipe.style;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.data.ImageData;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class StyleImagesTest {
    @Test
    void targetSizeKeepsTheAspectInMultiplesOf32() {
        assertArrayEquals(new int[] {256, 192}, StyleImages.targetSize(ImageData.blank(868, 600, 3), 256)); // 256 x 177 -> 192
        assertArrayEquals(new int[] {160, 256}, StyleImages.targetSize(ImageData.blank(300, 500, 3), 256));
        assertArrayEquals(new int[] {32, 32}, StyleImages.targetSize(ImageData.blank(1000, 10, 3), 32)); // never below 32
    }

    @Test
    void coverCropsTheCentreInsteadOfStretching() {
        // 40x10: left quarter red, middle half green, right quarter blue; a 10x10 cover keeps only green.
        ImageData img = ImageData.blank(40, 10, 3);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 40; x++) img.pixels()[(y * 40 + x) * 3 + (x < 10 ? 0 : x < 30 ? 1 : 2)] = (byte) 255;
        }
        BufferedImage out = StyleImages.cover(img, 10, 10);
        assertEquals(10, out.getWidth());
        float[] px = StyleImages.pixels(out);
        for (int i = 0; i < px.length; i += 3) {
            assertEquals(0, px[i], 1, "red at " + i / 3);
            assertEquals(255, px[i + 1], 1, "green at " + i / 3);
        }
    }

    @Test
    void pixelsRoundTripAndClampToBytes() {
        float[] px = {0, 127, 255, -20, 300, 12.6f};
        float[] back = StyleImages.pixels(StyleImages.image(px, 2, 1));
        assertArrayEquals(new float[] {0, 127, 255, 0, 255, 13}, back);
    }

    @Test
    void stripPutsFramesSideBySideWithALabelRow() {
        BufferedImage a = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB), b = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
        BufferedImage strip = StyleImages.strip(List.of(a, b), List.of("it 0", "it 9"));
        assertEquals(64, strip.getWidth());
        assertTrue(strip.getHeight() > 20);
    }

    @Test
    void snapshotsAreEvenlySpacedBeforeTheEnd() {
        assertEquals(List.of(0, 80, 160, 240, 320), StyleTransfer.snapshotIterations(400, 6));
        assertEquals(List.of(0), StyleTransfer.snapshotIterations(5, 2));
    }
}
