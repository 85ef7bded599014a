package dev.clpipe.nn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Conv2dShapeTest {
    @Test
    void outputSizeFollowsTheFloorFormula() {
        Conv2dShape s = Conv2dShape.input(1, 11, 10, 3).output(4).kernel(3, 2).stride(2, 3).padding(1, 2, 0, 1).dilation(2, 1).build();
        assertEquals((11 + 3 - 2 * 2 - 1) / 2 + 1, s.outHeight());
        assertEquals((10 + 1 - 1 - 1) / 3 + 1, s.outWidth());
    }

    @Test
    void samePaddingKeepsCeilOfSizeOverStrideWithTheExtraAtTheEnd() {
        Conv2dShape s = Conv2dShape.input(1, 56, 57, 8).kernel(3).stride(2).same().build();
        assertEquals(28, s.outHeight());
        assertEquals(29, s.outWidth());
        assertEquals(0, s.padTop());
        assertEquals(1, s.padBottom());
        Conv2dShape odd = Conv2dShape.input(1, 7, 7, 1).kernel(4).same().build();
        assertEquals(7, odd.outHeight());
        assertEquals(1, odd.padTop());
        assertEquals(2, odd.padBottom());
    }

    @Test
    void validIsNoPadding() {
        Conv2dShape s = Conv2dShape.input(256, 32, 32, 1).output(6).kernel(5).valid().build();
        assertEquals(28, s.outHeight());
        assertEquals(2.0 * 256 * 28 * 28 * 6 * 25, s.flops());
    }

    @Test
    void depthwiseAndGroupChecks() {
        assertTrue(Conv2dShape.input(1, 4, 4, 8).output(8).kernel(3).groups(8).build().depthwise());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Conv2dShape.input(1, 4, 4, 6).output(4).groups(4).build());
        assertTrue(e.getMessage().contains("groups=4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Conv2dShape.input(1, 2, 2, 1).kernel(5).build());
    }
}
