package dev.clpipe.augment;

/** Horizontal shear x' = x + tan(angle) * y about the centre, angle uniform in [-degrees, degrees]. */
public record ShearSpec(double probability, double degrees) implements OpSpec {
    public ShearSpec {
        Checks.probability("shear.probability", probability);
        Checks.within("shear.degrees", degrees, 0, 60);
    }

    @Override
    public String name() {
        return "shear";
    }
}
