package dev.clpipe.augment;

/** Adds an offset drawn uniformly from [-maxShift, maxShift] to each channel (0..255 units) independently. */
public record ColorShiftSpec(double probability, double maxShift) implements OpSpec {
    public ColorShiftSpec {
        Checks.probability("color_shift.probability", probability);
        Checks.within("color_shift.max_shift", maxShift, 0, 255);
    }

    @Override
    public String name() {
        return "color_shift";
    }
}
