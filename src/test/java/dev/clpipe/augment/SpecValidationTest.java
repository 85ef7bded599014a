package dev.clpipe.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SpecValidationTest {
    private static void rejects(String message, Executable build) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, build).getMessage());
    }

    @Test
    void messagesNameTheFieldAndTheValue() {
        rejects("rotate.degrees must be within [0, 180], got 400", () -> new RotateSpec(1, 400));
        rejects("mirror.horizontal must be within [0, 1], got 1.5", () -> new MirrorSpec(1.5, 0));
        rejects("crop.scale must have min <= max, got [0.9, 0.5]", () -> new CropSpec(1, 0, 0, Range.of(0.9, 0.5), Range.fixed(1)));
        rejects("crop.ratio.min must be within [0.05, 20], got 0", () -> new CropSpec(1, 0, 0, Range.fixed(1), Range.of(0, 1)));
        rejects("crop.padding must be within [0, 4096], got -1", () -> CropSpec.fixed(224, -1));
        rejects("color_shift.max_shift must be within [0, 255], got 300", () -> new ColorShiftSpec(1, 300));
        rejects("shear.probability must be within [0, 1], got -0.1", () -> new ShearSpec(-0.1, 10));
        rejects("scale.factor.min must be within [0.05, 20], got 0", () -> new ScaleSpec(1, Range.of(0, 2)));
        rejects("elastic.sigma must be within [0.5, 16], got 0", () -> new ElasticSpec(1, 30, 0));
        rejects("brightness_contrast.contrast is required", () -> new BrightnessContrastSpec(1, Range.fixed(1), null));
        rejects("pca_color.eigenvalues must hold 3 numbers", () -> new PcaColorSpec(1, 0.1, new double[2], PcaColorSpec.IMAGENET_EIGENVECTORS));
        rejects("rotate.probability must be within [0, 1], got NaN", () -> new RotateSpec(Double.NaN, 10));
    }

    @Test
    void configRejectsRepeatedOpsAndBadSizes() {
        rejects("augment.ops lists 'rotate' twice; list each op once",
                () -> new AugmentConfig(List.of(new RotateSpec(1, 5), new RotateSpec(1, 10)), 1, 8, 8, 0));
        rejects("augment.output_width must be within [1, 32768], got 0", () -> new AugmentConfig(List.of(), 1, 8, 0, 0));
        rejects("augment.fill must be within [0, 255], got 256", () -> new AugmentConfig(List.of(), 1, 8, 8, 256));
    }

    @Test
    void pcaNeedsThreeChannels() {
        ParamPlanner planner = new ParamPlanner(AugmentConfig.of(1, 8, PcaColorSpec.imagenet(1)));
        rejects("pca_color needs 3-channel (RGB) images, got 1", () -> planner.plan(0, new long[] {0}, 8, 8, 1));
    }

    @Test
    void batchShapeMustMatchItsBytes() {
        rejects("batch of 2x3x4x3 needs 72 bytes, got 71", () -> new ImageBatch(2, 3, 4, 3, new byte[71]));
    }
}
