package dev.clpipe.augment;

import static dev.clpipe.augment.TestImages.*;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every kernel against ReferenceAugmenter on random images, odd sizes and several epochs of draws. */
@Tag("kernel")
class KernelVsTwinTest {
    private static final int EPOCHS = 3;

    static List<Arguments> shapes() {
        // count, source h, w, output h, w, channels
        return List.of(
                Arguments.of(3, 13, 17, 11, 9, 3),
                Arguments.of(2, 20, 15, 20, 15, 1),
                Arguments.of(2, 18, 21, 17, 19, 2),
                Arguments.of(4, 9, 31, 7, 23, 4),
                Arguments.of(1, 33, 29, 16, 16, 3),
                // Wide enough for the rows kernel's 16-pixel vector chunks, mirrored or not, some in the padding, plus a tail.
                Arguments.of(4, 45, 50, 37, 37, 3));
    }

    private static void compare(AugmentConfig config, ImageBatch source, Tolerance tolerance, String what) {
        ClContext context = TestDevices.context();
        for (KernelVariant variant : KernelVariant.values()) {
            try (Augmenter augmenter = new Augmenter(context, config, variant)) {
                for (int epoch = 0; epoch < EPOCHS; epoch++) {
                    long[] indices = range(source.count());
                    ImageBatch got = augmenter.apply(source, epoch, indices);
                    ImageBatch want = ReferenceAugmenter.apply(config, source, epoch, indices);
                    assertBytes(got, want, tolerance, what + " (" + variant + " kernels) epoch " + epoch);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void mirrorAndCropAreExact(int n, int h, int w, int outH, int outW, int c) {
        AugmentConfig config = new AugmentConfig(List.of(new MirrorSpec(0.5, 0.5), CropSpec.fixed(Math.min(outH, outW), 2)),
                7, Math.min(outH, outW), Math.min(outH, outW), 5);
        ImageBatch source = random(h * 31L + w, n, h, w, c);
        BatchParams plan = new ParamPlanner(config).plan(0, range(n), h, w, c);
        assertTrue(plan.pixelAligned(), "a whole-pixel crop with flips takes the copy kernel");
        compare(config, source, Tolerance.EXACT, "mirror+crop");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void colourOnTheCopyPathIsExact(int n, int h, int w, int outH, int outW, int c) {
        AugmentConfig config = new AugmentConfig(List.of(MirrorSpec.horizontal(0.5), CropSpec.fixed(Math.min(outH, outW), 0),
                new ColorShiftSpec(0.8, 40), new BrightnessContrastSpec(0.8, Range.of(0.7, 1.3), Range.of(0.6, 1.4))),
                11, Math.min(outH, outW), Math.min(outH, outW), 0);
        compare(config, random(h + 5L * w, n, h, w, c), Tolerance.EXACT, "mirror+crop+colour");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void affineChainWithColourMatchesTwin(int n, int h, int w, int outH, int outW, int c) {
        AugmentConfig config = new AugmentConfig(List.of(
                new MirrorSpec(0.5, 0.2),
                new CropSpec(0.9, 0, 1, Range.of(0.3, 1), Range.of(0.75, 1.33)),
                new RotateSpec(0.9, 30), new ShearSpec(0.5, 15), new ScaleSpec(0.5, Range.of(0.8, 1.25)),
                new TranslateSpec(0.5, 0.1), new ColorShiftSpec(0.5, 20),
                new BrightnessContrastSpec(0.5, Range.of(0.8, 1.2), Range.of(0.8, 1.2))),
                3, outH, outW, 17);
        ImageBatch source = random(n * 7L + h, n, h, w, c);
        assertFalse(new ParamPlanner(config).plan(0, range(n), h, w, c).pixelAligned(), "rotations need the warp kernel");
        compare(config, source, UINT8_ROUNDING, "affine chain");
    }

    @Test
    void pcaColourMatchesTwin() {
        AugmentConfig config = new AugmentConfig(List.of(new RotateSpec(1, 10), PcaColorSpec.imagenet(1)), 5, 12, 14, 0);
        compare(config, random(99, 3, 15, 13, 3), UINT8_ROUNDING, "rotate+pca");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void elasticMatchesTwin(int n, int h, int w, int outH, int outW, int c) {
        AugmentConfig config = new AugmentConfig(List.of(new MirrorSpec(0.5, 0), new ElasticSpec(0.7, 8, 1.5)), 13, outH, outW, 0);
        assertTrue(new ParamPlanner(config).plan(0, range(n), h, w, c).anyElastic() || new ParamPlanner(config).plan(1, range(n), h, w, c).anyElastic(),
                "some image is warped");
        compare(config, random(n + 3L * h, n, h, w, c), UINT8_ROUNDING, "elastic");
    }
}
