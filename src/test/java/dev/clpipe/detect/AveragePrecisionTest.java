package dev.clpipe.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AveragePrecisionTest {
    private static final double EPS = 1e-12;

    @Test
    void vocAllPointByHand() {
        // detections TP, FP, TP, FP with 3 ground truths:
        //   recall    1/3, 1/3, 2/3, 2/3      precision 1, 1/2, 2/3, 1/2
        //   envelope with sentinels: r = 0 1/3 1/3 2/3 2/3 1, p = 1 1 2/3 2/3 1/2 0
        //   AP = (1/3 - 0) * 1 + (2/3 - 1/3) * 2/3 + (1 - 2/3) * 0 = 1/3 + 2/9 = 5/9
        double[] r = {1.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3};
        double[] p = {1, 0.5, 2.0 / 3, 0.5};
        assertEquals(5.0 / 9, AveragePrecision.vocAllPoint(r, p), EPS);
        // perfect: one TP per ground truth -> 1; nothing detected -> 0
        assertEquals(1, AveragePrecision.vocAllPoint(new double[] {0.5, 1}, new double[] {1, 1}), EPS);
        assertEquals(0, AveragePrecision.vocAllPoint(new double[0], new double[0]), EPS);
    }

    @Test
    void coco101ByHand() {
        // same curve; interpolated precision 1, 2/3, 2/3, 1/2 at recall 1/3, 1/3, 2/3, 2/3.
        //   thresholds 0.00..0.33 (34 of them) -> first point with recall >= t is #0 -> 1
        //   thresholds 0.34..0.66 (33)         -> point #2 -> 2/3
        //   thresholds 0.67..1.00 (34)         -> recall never gets there -> 0
        //   AP = (34 * 1 + 33 * 2/3) / 101 = 56/101
        double[] r = {1.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3};
        double[] p = {1, 0.5, 2.0 / 3, 0.5};
        assertEquals(56.0 / 101, AveragePrecision.coco101(r, p), EPS);
        // full recall at precision 1: all 101 thresholds -> 1
        assertEquals(1, AveragePrecision.coco101(new double[] {0.5, 1}, new double[] {1, 1}), EPS);
        // recall exactly 0.5: thresholds 0.00..0.50 are 51 points
        assertEquals(51.0 / 101, AveragePrecision.coco101(new double[] {0.5}, new double[] {1}), EPS);
        assertEquals(0, AveragePrecision.coco101(new double[0], new double[0]), EPS);
    }

    @Test
    void thresholdsAreLinspace() {
        assertEquals(0.0, AveragePrecision.threshold(0));
        assertEquals(0.01, AveragePrecision.threshold(1));
        assertEquals(0.5, AveragePrecision.threshold(50));
        assertEquals(1.0, AveragePrecision.threshold(100));
    }
}
