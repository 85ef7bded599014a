package dev.clpipe.augment;

/** Flips: left-right with probability {@code horizontal}, top-bottom with probability {@code vertical}. */
public record MirrorSpec(double horizontal, double vertical) implements OpSpec {
    public MirrorSpec {
        Checks.probability("mirror.horizontal", horizontal);
        Checks.probability("mirror.vertical", vertical);
    }

    public static MirrorSpec horizontal(double probability) {
        return new MirrorSpec(probability, 0);
    }

    @Override
    public String name() {
        return "mirror";
    }
}
