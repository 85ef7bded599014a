package dev.clpipe.face.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.data.ImageData;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Crop geometry worked out by hand from docs/face-models.md §2, §4.4 and §7. */
class AlignmentGeometryTest {
    @Test
    void clippingFollowsClipAtImageBordersThenFloor() {
        // x = -3.5 -> 0, w = min(-3.5 + 20.7 - 0, 50 - 0) = 17.2 -> 17; y = 10.9 -> 10, h = min(10.9 + 45 - 10.9, 40 - 10.9) = 29.1 -> 29
        assertEquals(Optional.of(new PixelRect(0, 10, 17, 29)), PixelRect.clipped(-3.5, 10.9, 20.7, 45, 50, 40));
        assertEquals(Optional.empty(), PixelRect.clipped(60, 10, 5, 5, 50, 40));
        assertEquals(Optional.empty(), PixelRect.clipped(-10, 10, 9.5, 5, 50, 40));
    }

    @Test
    void dlibRectangleFromEyeAndMouthCentres() {
        float[] xy = new float[136];
        // left eye centre (40, 50), right eye centre (60, 50), mouth centre (50, 80)
        for (int i = 36; i < 42; i++) { xy[2 * i] = 40; xy[2 * i + 1] = 50; }
        for (int i = 42; i < 48; i++) { xy[2 * i] = 60; xy[2 * i + 1] = 50; }
        for (int i = 48; i < 68; i++) { xy[2 * i] = 50; xy[2 * i + 1] = 80; }
        Landmarks68 m = new Landmarks68(xy);
        // eye-mouth distance sqrt(10^2 + 30^2) = 31.623; size = floor(31.623 / 0.45) = 70;
        // centre (50, 60); x = floor(50 - 35) = 15, y = floor(60 - 0.43 * 70) = floor(29.9) = 29
        assertArrayEquals(new double[] {15, 29, 70, 70}, DlibAlignment.rect(m, 200, 200));
        // a small landmark crop bounds the size: min(70, 50 + 15) = 65, min(70, 20 + 29) = 49
        assertArrayEquals(new double[] {15, 29, 65, 49}, DlibAlignment.rect(m, 50, 20));
        assertEquals(Optional.of(new PixelRect(15, 29, 45, 41)), DlibAlignment.crop(m, 200, 200, 60, 70));
    }

    @Test
    void landmarkOutputsAreUnpaddedAndShiftedByTheUnflooredBox() {
        // a 50 (w) x 100 (h) crop: s = 112 / 100, w' = 56, h' = 112, padX = 28; output (0.5, 0.25)
        // -> xRel = (56 - 28) / 56 = 0.5 -> 25 px + 10.25; yRel = 28 / 112 = 0.25 -> 25 px + 3.5
        float[] raw = new float[136];
        raw[0] = 0.5f;
        raw[1] = 0.25f;
        Landmarks68 m = Landmarks68.fromNetOutput(raw, 0, 112, 50, 100, 10.25, 3.5);
        assertEquals(35.25, m.x(0), 1e-5);
        assertEquals(28.5, m.y(0), 1e-5);
    }

    @Test
    void netInputPadsCentredWithTheLargerHalfAfter() {
        // 1 x 4 crop (w = 4, h = 1): diff 3, round(1.5) = 2 rows after, 1 before; size 4 = no resize
        RgbImage crop = new RgbImage(4, 1, new float[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4});
        float[] in = NetInput.centredSquare(crop, 4);
        for (int r = 0; r < 4; r++) assertEquals(r == 1 ? 1f : 0f, in[(r * 4) * 3], "row " + r);
        // legacy bilinear 4 -> 2: output column j samples source column 2j (no half-pixel offset)
        float[] half = NetInput.centredSquare(crop, 2);
        assertEquals(0f, half[0]); // row 0 samples padded row 0
        assertEquals(0f, half[3]);
        float[] row = NetInput.centredSquare(new RgbImage(4, 4, ramp(4, 4)), 2);
        assertEquals(ramp(4, 4)[((2 * 4) + 2) * 3], row[(1 * 2 + 1) * 3]);
        // 4 -> 3: output (1, 1) samples (1.333, 1.333): columns 1-2 give 3 + (6 - 3) / 3 = 4 on padded row 1,
        // rows 1-2 (row 2 is padding, 0) give 4 * (1 - 1/3) = 2.667
        float[] third = NetInput.centredSquare(new RgbImage(4, 1, new float[] {0, 0, 0, 3, 3, 3, 6, 6, 6, 9, 9, 9}), 3);
        assertEquals(8f / 3, third[(1 * 3 + 1) * 3], 1e-5);
    }

    @Test
    void greyImagesBecomeThreeEqualChannelsAndMirrorFlips() {
        ImageData grey = new ImageData(2, 1, 1, new byte[] {(byte) 10, (byte) 200});
        RgbImage rgb = RgbImage.of(grey);
        assertArrayEquals(new float[] {10, 10, 10, 200, 200, 200}, rgb.rgb());
        assertArrayEquals(new float[] {200, 200, 200, 10, 10, 10}, rgb.mirrored().rgb());
    }

    private static float[] ramp(int w, int h) {
        float[] v = new float[w * h * 3];
        for (int i = 0; i < v.length; i++) v[i] = i;
        return v;
    }
}
