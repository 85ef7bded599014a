package dev.clpipe.augment;

/** Shift by up to {@code fraction} of the output width/height in each direction (uniform). */
public record TranslateSpec(double probability, double fraction) implements OpSpec {
    public TranslateSpec {
        Checks.probability("translate.probability", probability);
        Checks.within("translate.fraction", fraction, 0, 1);
    }

    @Override
    public String name() {
        return "translate";
    }
}
