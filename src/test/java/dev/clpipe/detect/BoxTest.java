package dev.clpipe.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BoxTest {
    private static final double EPS = 1e-12;

    @Test
    void formsConvertBothWays() {
        Box b = new Box(10, 20, 50, 80);
        assertArrayEquals(new double[] {30, 50, 40, 60}, b.toCentre(), EPS);
        assertArrayEquals(new double[] {10, 20, 40, 60}, b.toTopLeft(), EPS);
        assertEquals(b, Box.fromCentre(30, 50, 40, 60));
        assertEquals(b, Box.fromTopLeft(10, 20, 40, 60));
        assertEquals(2400, b.area(), EPS);
        assertEquals(b, Box.of(b.toDataBox()));
    }

    @Test
    void relativeAndPixelUnits() {
        Box px = new Box(64, 48, 320, 240);
        Box rel = px.toRelative(640, 480);
        assertEquals(new Box(0.1, 0.1, 0.5, 0.5), rel);
        assertEquals(px, rel.toPixels(640, 480));
        assertThrows(IllegalArgumentException.class, () -> px.toRelative(0, 480));
    }

    @Test
    void clipToImage() {
        assertEquals(new Box(0, 5, 100, 50), new Box(-10, 5, 120, 50).clip(100, 60));
        // wholly outside: a zero-area box on the nearest edge
        Box out = new Box(150, 70, 200, 90).clip(100, 60);
        assertEquals(new Box(100, 60, 100, 60), out);
        assertEquals(0, out.area());
    }

    @Test
    void iouByHand() {
        // A = [0,0,2,2] (area 4), B = [1,1,3,3] (area 4): overlap [1,1,2,2] = 1, union = 7
        assertEquals(1.0 / 7, new Box(0, 0, 2, 2).iou(new Box(1, 1, 3, 3)), EPS);
        // nested: [0,0,4,4] (16) and [1,1,3,3] (4): 4 / 16
        assertEquals(0.25, new Box(0, 0, 4, 4).iou(new Box(1, 1, 3, 3)), EPS);
        // touching edges do not overlap
        assertEquals(0, new Box(0, 0, 1, 1).iou(new Box(1, 0, 2, 1)), EPS);
        assertEquals(1, new Box(0, 0, 1, 1).iou(new Box(0, 0, 1, 1)), EPS);
        assertEquals(0, new Box(1, 1, 1, 1).iou(new Box(1, 1, 1, 1)), EPS);
    }

    @Test
    void invalidBoxesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Box(5, 0, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new Box(0, 0, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new Detection("a", 1.5, new Box(0, 0, 1, 1)));
    }
}
