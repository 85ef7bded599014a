package dev.clpipe.augment;

/** Rotation about the image centre by an angle drawn uniformly from [-degrees, degrees]. */
public record RotateSpec(double probability, double degrees) implements OpSpec {
    public RotateSpec {
        Checks.probability("rotate.probability", probability);
        Checks.within("rotate.degrees", degrees, 0, 180);
    }

    @Override
    public String name() {
        return "rotate";
    }
}
