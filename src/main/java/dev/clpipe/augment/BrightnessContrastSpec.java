package dev.clpipe.augment;

/**
 * Brightness multiplies every value by a factor from {@code brightness}; contrast scales the
 * distance from mid-grey (128) by a factor from {@code contrast}. Both are drawn uniformly.
 */
public record BrightnessContrastSpec(double probability, Range brightness, Range contrast) implements OpSpec {
    public BrightnessContrastSpec {
        Checks.probability("brightness_contrast.probability", probability);
        Checks.range("brightness_contrast.brightness", brightness, 0, 10);
        Checks.range("brightness_contrast.contrast", contrast, 0, 10);
    }

    @Override
    public String name() {
        return "brightness_contrast";
    }
}
