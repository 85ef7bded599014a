package dev.clpipe.augment;

/** Validation helpers for spec records: every message names the field and the value found. */
final class Checks {
    private Checks() {}

    static double probability(String field, double value) {
        return within(field, value, 0, 1);
    }

    static double within(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(field + " must be within [" + format(min) + ", " + format(max) + "], got " + format(value));
        }
        return value;
    }

    static int within(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be within [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /** Both ends within [min, max] and in order. */
    static Range range(String field, Range range, double min, double max) {
        if (range == null) throw new IllegalArgumentException(field + " is required");
        within(field + ".min", range.min(), min, max);
        within(field + ".max", range.max(), min, max);
        if (range.min() > range.max()) {
            throw new IllegalArgumentException(field + " must have min <= max, got [" + format(range.min()) + ", " + format(range.max()) + "]");
        }
        return range;
    }

    /** 400 rather than 400.0, so messages read like what the user typed. */
    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) return Long.toString((long) value);
        return Double.toString(value);
    }
}
