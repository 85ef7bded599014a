package dev.clpipe.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlidingWindowCostTest {
    /**
     * The course's classifier, by hand (MACs = outH * outW * outC * k * k * inC):
     * <pre>
     *   one 14x14x3 window: conv5x5x16 -> 10x10x16: 100*16*75 = 120,000; pool -> 5x5x16
     *     FC400 as conv5x5: 400*400 = 160,000; FC400 as conv1x1: 160,000; softmax 4: 1,600   total 441,600
     *   16x16 image, stride 2 -> 2x2 windows: sliding 4 * 441,600 = 1,766,400
     *     convolutional: 12x12x16: 172,800; pool -> 6x6; 2x2x400: 640,000; 640,000; 6,400    total 1,459,200
     *   28x28 image -> 8x8 windows: sliding 64 * 441,600 = 28,262,400
     *     convolutional: 24x24x16: 691,200; pool -> 12x12; 8x8x400: 10,240,000; 10,240,000; 102,400 = 21,273,600
     * </pre>
     */
    @Test
    void courseExample() {
        SlidingWindowCost.Comparison small = SlidingWindowCost.compare(SlidingWindowCost.courseNetwork(), 3, 14, 16, 16);
        assertEquals(new SlidingWindowCost.Comparison(2, 2, 2, 441_600, 1_766_400, 1_459_200), small);
        SlidingWindowCost.Comparison big = SlidingWindowCost.compare(SlidingWindowCost.courseNetwork(), 3, 14, 28, 28);
        assertEquals(new SlidingWindowCost.Comparison(8, 8, 2, 441_600, 28_262_400, 21_273_600), big);
    }

    /** Sharing pays where the conv trunk is heavy: see docs/detection.md for the per-layer sums. */
    @Test
    void deeperTrunkSharesMore() {
        SlidingWindowCost.Comparison c = SlidingWindowCost.compare(SlidingWindowCost.deeperNetwork(), 3, 32, 64, 64);
        assertEquals(14_819_712, c.macsPerWindow());
        assertEquals(81 * 14_819_712L, c.slidingMacs());
        assertEquals(114_438_528, c.convolutionalMacs());
    }

    @Test
    void misfitsAreRefused() {
        // 17 - 14 is not a multiple of the stride 2
        assertThrows(IllegalArgumentException.class, () -> SlidingWindowCost.compare(SlidingWindowCost.courseNetwork(), 3, 14, 17, 16));
        // the network does not end in 1x1 on a 20x20 window
        assertThrows(IllegalArgumentException.class, () -> SlidingWindowCost.compare(SlidingWindowCost.courseNetwork(), 3, 20, 20, 20));
        assertThrows(IllegalArgumentException.class, () -> SlidingWindowCost.compare(List.of(SlidingWindowCost.Layer.conv(5, 1)), 3, 4, 4, 4));
    }
}
