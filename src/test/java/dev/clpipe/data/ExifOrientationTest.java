package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExifOrientationTest {
    /**
     * Stored 3x2 grey image with values
     *   1 2 3
     *   4 5 6
     */
    private static final ImageData STORED = new ImageData(3, 2, 1, new byte[] {1, 2, 3, 4, 5, 6});

    private static String rows(ImageData d) {
        StringBuilder sb = new StringBuilder();
        for (int y = 0; y < d.height(); y++) {
            sb.append(y > 0 ? "/" : "");
            for (int x = 0; x < d.width(); x++) {
                sb.append(d.get(x, y, 0));
            }
        }
        return sb.toString();
    }

    @Test
    void allEightOrientationsMatchTheExifDefinition() {
        assertEquals("123/456", rows(ExifOrientation.apply(STORED, 1)));
        assertEquals("321/654", rows(ExifOrientation.apply(STORED, 2)));
        assertEquals("654/321", rows(ExifOrientation.apply(STORED, 3)));
        assertEquals("456/123", rows(ExifOrientation.apply(STORED, 4)));
        assertEquals("14/25/36", rows(ExifOrientation.apply(STORED, 5)));
        assertEquals("41/52/63", rows(ExifOrientation.apply(STORED, 6))); // 90° clockwise
        assertEquals("63/52/41", rows(ExifOrientation.apply(STORED, 7)));
        assertEquals("36/25/14", rows(ExifOrientation.apply(STORED, 8))); // 90° counter-clockwise
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void readsTagInBothByteOrders(int o) {
        byte[] jpeg = TestImages.jpeg(TestImages.pattern(8, 8, 3), 0.8f);
        assertEquals(o, ExifOrientation.read(TestImages.withOrientation(jpeg, o, false)));
        assertEquals(o, ExifOrientation.read(TestImages.withOrientation(jpeg, o, true)));
    }

    @Test
    void absentOrGarbageMeansOne() {
        assertEquals(1, ExifOrientation.read(TestImages.jpeg(TestImages.pattern(8, 8, 3), 0.8f)));
        assertEquals(1, ExifOrientation.read(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, 0x7F}));
        assertEquals(1, ExifOrientation.read(new byte[0]));
    }
}
