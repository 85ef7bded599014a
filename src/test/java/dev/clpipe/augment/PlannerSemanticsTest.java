package dev.clpipe.augment;

import static dev.clpipe.augment.TestImages.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What each op does, checked on the Java twin against hand-computed results (no device). */
class PlannerSemanticsTest {
    private static ImageBatch twin(AugmentConfig config, ImageBatch source, long index) {
        return ReferenceAugmenter.apply(config, source, 0, new long[] {index});
    }

    @Test
    void noOpsAtTheSameSizeIsTheIdentity() {
        ImageBatch source = random(1, 1, 9, 9, 3);
        assertArrayEquals(source.pixels(), twin(AugmentConfig.of(1, 9, new MirrorSpec(0, 0)), source, 0).pixels());
    }

    @Test
    void horizontalMirrorReversesEachRow() {
        ImageBatch source = random(2, 1, 7, 7, 3);
        ImageBatch out = twin(AugmentConfig.of(1, 7, new MirrorSpec(1, 0)), source, 0);
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 7; x++) {
                for (int c = 0; c < 3; c++) assertEquals(source.get(0, y, 6 - x, c), out.get(0, y, x, c));
            }
        }
    }

    @Test
    void verticalMirrorReversesTheRows() {
        ImageBatch source = random(3, 1, 5, 6, 1);
        ImageBatch out = new ReferenceAugmenterView(new AugmentConfig(List.of(new MirrorSpec(0, 1)), 1, 5, 6, 0)).apply(source);
        for (int y = 0; y < 5; y++) for (int x = 0; x < 6; x++) assertEquals(source.get(0, 4 - y, x, 0), out.get(0, y, x, 0));
    }

    @Test
    void fixedCropIsAWindowOfTheSource() {
        ImageBatch source = random(4, 1, 40, 40, 3);
        for (long index = 0; index < 5; index++) {
            ImageBatch out = twin(AugmentConfig.of(9, 32, CropSpec.fixed(32, 0)), source, index);
            assertTrue(isWindow(source, out), "crop of sample " + index + " is a 32x32 window of the source");
        }
    }

    @Test
    void centreCropIsTheMiddleWindowAndResizesOnlyASideThatIsTooShort() {
        ImageBatch source = random(5, 1, 11, 10, 3);
        ImageBatch out = twin(new AugmentConfig(List.of(new CentreCropSpec()), 1, 8, 9, 0), source, 3);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 9; x++) {
                for (int c = 0; c < 3; c++) assertEquals(source.get(0, y + 1, x, c), out.get(0, y, x, c), "rows 1..8 (of 11), columns 0..8 (of 10)");
            }
        }
        ImageBatch narrow = random(6, 1, 12, 4, 1);
        ImageBatch wide = twin(new AugmentConfig(List.of(new CentreCropSpec()), 1, 8, 8, 0), narrow, 0);
        ImageBatch resized = twin(new AugmentConfig(List.of(), 1, 8, 8, 0), ReferenceAugmenter.apply(
                new AugmentConfig(List.of(new CentreCropSpec()), 1, 8, 4, 0), narrow, 0, new long[] {0}), 0);
        assertArrayEquals(resized.pixels(), wide.pixels(), "a 4-pixel-wide source: its middle 8 rows, stretched to 8 columns");
    }

    private static boolean isWindow(ImageBatch source, ImageBatch window) {
        for (int y0 = 0; y0 + window.height() <= source.height(); y0++) {
            search:
            for (int x0 = 0; x0 + window.width() <= source.width(); x0++) {
                for (int y = 0; y < window.height(); y++) {
                    for (int x = 0; x < window.width(); x++) {
                        for (int c = 0; c < source.channels(); c++) {
                            if (source.get(0, y0 + y, x0 + x, c) != window.get(0, y, x, c)) continue search;
                        }
                    }
                }
                return true;
            }
        }
        return false;
    }

    @Test
    void paddingFillsOutsideTheSource() {
        ImageBatch source = constant(1, 4, 4, 1, 200);
        // A 12x12 crop of a 4x4 image padded by 4: exactly the padded image, source in the middle.
        ImageBatch out = twin(new AugmentConfig(List.of(CropSpec.fixed(12, 4)), 1, 12, 12, 7), source, 0);
        assertEquals(7, out.get(0, 0, 0, 0));
        assertEquals(200, out.get(0, 5, 5, 0));
        assertEquals(7, out.get(0, 11, 11, 0));
    }

    @Test
    void brightnessThenContrastAboutMidGrey() {
        ImageBatch source = constant(1, 3, 3, 3, 100);
        ImageBatch brighter = twin(AugmentConfig.of(1, 3, new BrightnessContrastSpec(1, Range.fixed(1.5), Range.fixed(1))), source, 0);
        assertEquals(150, brighter.get(0, 1, 1, 2));
        ImageBatch contrast = twin(AugmentConfig.of(1, 3, new BrightnessContrastSpec(1, Range.fixed(1), Range.fixed(2))), source, 0);
        assertEquals(72, contrast.get(0, 1, 1, 0)); // 2 * (100 - 128) + 128
        ImageBatch both = twin(AugmentConfig.of(1, 3, new BrightnessContrastSpec(1, Range.fixed(2), Range.fixed(0.5))), source, 0);
        assertEquals(164, both.get(0, 0, 0, 1)); // 0.5 * (200 - 128) + 128
    }

    @Test
    void colourShiftAddsOneWholeOffsetPerChannel() {
        ImageBatch source = constant(1, 5, 5, 3, 100);
        for (long index = 0; index < 10; index++) {
            ImageBatch out = twin(AugmentConfig.of(1, 5, new ColorShiftSpec(1, 20)), source, index);
            for (int c = 0; c < 3; c++) {
                int shifted = out.get(0, 0, 0, c);
                assertTrue(Math.abs(shifted - 100) <= 20, "offset within max_shift");
                for (int i = 0; i < 25; i++) assertEquals(shifted, out.get(0, i / 5, i % 5, c), "same offset over the image");
            }
        }
    }

    @Test
    void pcaColourAddsTheEigenvectorCombination() {
        ImageBatch source = constant(1, 2, 2, 3, 128);
        PcaColorSpec pca = PcaColorSpec.imagenet(1);
        ImageBatch out = twin(AugmentConfig.of(3, 2, pca), source, 5);
        CounterRng rng = CounterRng.of(3, 0, 5, pca.name().hashCode());
        rng.chance(1);
        double[] offsets = pca.offsets(new double[] {rng.gaussian() * 0.1, rng.gaussian() * 0.1, rng.gaussian() * 0.1});
        for (int c = 0; c < 3; c++) assertEquals(Math.rint(128 + offsets[c]), out.get(0, 1, 1, c), 1.0);
    }

    @Test
    void rotationKeepsTheCentreAndFillsTheCorners() {
        ImageBatch source = constant(1, 21, 21, 1, 90);
        for (long index = 0; index < 5; index++) {
            ImageBatch out = twin(new AugmentConfig(List.of(new RotateSpec(1, 180)), 2, 21, 21, 0), source, index);
            assertEquals(90, out.get(0, 10, 10, 0));
        }
        // Shrinking to half size leaves the corners outside the source: they take the fill value.
        ImageBatch shrunk = twin(new AugmentConfig(List.of(new ScaleSpec(1, Range.fixed(0.5))), 2, 21, 21, 0), source, 0);
        assertEquals(0, shrunk.get(0, 0, 0, 0));
        assertEquals(90, shrunk.get(0, 10, 10, 0));
    }

    @Test
    void elasticWithZeroAlphaIsTheIdentity() {
        ImageBatch source = random(8, 2, 11, 12, 3);
        ImageBatch out = ReferenceAugmenter.apply(new AugmentConfig(List.of(new ElasticSpec(1, 0, 2)), 1, 11, 12, 0), source, 0, range(2));
        assertArrayEquals(source.pixels(), out.pixels());
    }

    /** The twin for all samples 0..N-1 of epoch 0. */
    private record ReferenceAugmenterView(AugmentConfig config) {
        ImageBatch apply(ImageBatch source) {
            return ReferenceAugmenter.apply(config, source, 0, range(source.count()));
        }
    }
}
