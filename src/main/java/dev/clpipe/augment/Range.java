package dev.clpipe.augment;

/** A closed interval [min, max] a parameter is drawn from uniformly; checked by the spec that holds it. */
public record Range(double min, double max) {
    public static Range of(double min, double max) {
        return new Range(min, max);
    }

    /** The single value {@code value}: a fixed parameter. */
    public static Range fixed(double value) {
        return new Range(value, value);
    }

    double draw(CounterRng rng) {
        return min + (max - min) * rng.uniform();
    }
}
