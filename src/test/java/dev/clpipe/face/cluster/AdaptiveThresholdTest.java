package dev.clpipe.face.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.face.bench.SyntheticFaces;
import dev.clpipe.face.search.KnnSearch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdaptiveThresholdTest {
    private static final AdaptiveThreshold.Range RANGE = AdaptiveThreshold.Range.faceApi();

    /** 60% same-person distances ~N(0.42, 0.04), 40% different-person ~N(0.62, 0.04): the event case. */
    private static float[] bimodal(double lowMean, double highMean) {
        SplittableRandom r = new SplittableRandom(4);
        float[] d = new float[20000];
        for (int i = 0; i < d.length; i++) d[i] = (float) (i % 5 < 3 ? lowMean + 0.04 * r.nextGaussian() : highMean + 0.04 * r.nextGaussian());
        return d;
    }

    @Test
    void histogramRulesSplitBetweenTheModes() {
        float[] d = bimodal(0.42, 0.62);
        double otsu = AdaptiveThreshold.otsu(d, RANGE);
        double valley = AdaptiveThreshold.valley(d, RANGE, 2);
        assertTrue(otsu > 0.47 && otsu < 0.57, "otsu " + otsu);
        assertTrue(valley > 0.47 && valley < 0.57, "valley " + valley);
        assertTrue(valley < 0.6, "lookalikes pull the split below face-api's 0.6");
    }

    @Test
    void resultsAreClampedAndQuantileIsTheLowerOrderStatistic() {
        float[] far = bimodal(0.9, 1.1);
        assertEquals(0.7, AdaptiveThreshold.otsu(far, RANGE), 1e-12);
        float[] d = {0.1f, 0.5f, 0.4f, 0.45f, 0.9f};
        assertEquals(0.45f, AdaptiveThreshold.quantile(d, 0.5, RANGE), 1e-7);
        assertEquals(0.3, AdaptiveThreshold.quantile(d, 0.0, RANGE), 1e-12);
        assertEquals(0.7, AdaptiveThreshold.otsu(new float[0], RANGE), 1e-12, "no data: the middle of the span, clamped");
    }

    @Test
    void selectOnSyntheticFacesGoesBelowSixOnAnEventAndStaysNearItOnAFolder() {
        KnnSearch s = KnnSearch.defaults();
        double event = AdaptiveThreshold.select(SyntheticFaces.generate(3000, 1, SyntheticFaces.Spec.event()).embeddings(), s, 1).threshold();
        double folder = AdaptiveThreshold.select(SyntheticFaces.generate(3000, 1).embeddings(), s, 1).threshold();
        assertTrue(event > 0.35 && event < 0.5, "event " + event);
        assertTrue(folder > 0.55 && folder <= 0.7, "folder " + folder);
    }

    /**
     * Real descriptors of one event: the same-person mode is a shoulder, not a peak (1/3 of the
     * distances around 0.32, 2/3 around 0.47). The mixture finds the crossing of the weighted
     * densities, 0.3803 solved numerically from the generating parameters (w0 g0(t) = w1 g1(t)); the valley has no low peak to use.
     */
    @Test
    void mixtureFindsTheCrossingWhenTheLowModeIsOnlyAShoulder() {
        java.util.Random r = new java.util.Random(7);
        float[] d = new float[30000];
        for (int i = 0; i < d.length; i++) d[i] = (float) (i % 3 == 0 ? 0.32 + 0.04 * r.nextGaussian() : 0.47 + 0.05 * r.nextGaussian());
        double t = AdaptiveThreshold.mixture(d, RANGE);
        assertTrue(Math.abs(t - 0.3803) < 0.005, "mixture " + t);
    }
}
