package dev.clpipe.augment;

/** Zoom about the centre by a factor drawn uniformly from {@code factor} (>1 enlarges). */
public record ScaleSpec(double probability, Range factor) implements OpSpec {
    public ScaleSpec {
        Checks.probability("scale.probability", probability);
        Checks.range("scale.factor", factor, 0.05, 20);
    }

    @Override
    public String name() {
        return "scale";
    }
}
