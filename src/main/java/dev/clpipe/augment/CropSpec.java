package dev.clpipe.augment;

/**
 * Random crop, resized to the output size. The source is first padded by {@code padding} pixels of
 * the fill value on every side. The crop is either {@code size} x {@code size} pixels (when
 * size > 0, e.g. 224 from 256) or, like RandomResizedCrop, covers a fraction {@code scale} of the
 * padded area with width/height ratio drawn log-uniformly from {@code ratio}. Its corner is at
 * whole pixels, so an unscaled crop copies pixels exactly. Without the crop (probability miss)
 * the whole unpadded source is resized to the output.
 */
public record CropSpec(double probability, int size, int padding, Range scale, Range ratio) implements OpSpec {
    public CropSpec {
        Checks.probability("crop.probability", probability);
        Checks.within("crop.size", size, 0, 1 << 16);
        Checks.within("crop.padding", padding, 0, 4096);
        Checks.range("crop.scale", scale, 1e-4, 1);
        Checks.range("crop.ratio", ratio, 0.05, 20);
    }

    /** A {@code size} x {@code size} crop at a uniform position, always applied. */
    public static CropSpec fixed(int size, int padding) {
        return new CropSpec(1, size, padding, Range.fixed(1), Range.fixed(1));
    }

    /** RandomResizedCrop's defaults: 8%..100% of the area, ratio 3/4..4/3. */
    public static CropSpec resized(Range scale, Range ratio) {
        return new CropSpec(1, 0, 0, scale, ratio);
    }

    @Override
    public String name() {
        return "crop";
    }
}
