package dev.clpipe.augment;

/**
 * Adds a whole-number offset drawn uniformly from [-maxShift, maxShift] to each channel (0..255
 * levels) independently. Whole offsets keep the shift exact and let the kernel add in integers.
 */
public record ColorShiftSpec(double probability, int maxShift) implements OpSpec {
    public ColorShiftSpec {
        Checks.probability("color_shift.probability", probability);
        Checks.within("color_shift.max_shift", maxShift, 0, 255);
    }

    @Override
    public String name() {
        return "color_shift";
    }
}
