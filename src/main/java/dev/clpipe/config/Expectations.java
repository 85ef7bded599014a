package dev.clpipe.config;

/** How a range reads in documentation and errors: "an integer from 1 to 10", "a number >= 0". */
final class Expectations {

    private Expectations() {
    }

    static String integer(int min, int max) {
        if (min == Integer.MIN_VALUE && max == Integer.MAX_VALUE) {
            return "an integer";
        }
        if (max == Integer.MAX_VALUE) {
            return "an integer >= " + min;
        }
        return "an integer from " + min + " to " + max;
    }

    static String number(double min, double max) {
        if (min == Double.NEGATIVE_INFINITY && max == Double.POSITIVE_INFINITY) {
            return "a number";
        }
        if (max == Double.POSITIVE_INFINITY) {
            return "a number >= " + format(min);
        }
        if (min == Double.NEGATIVE_INFINITY) {
            return "a number <= " + format(max);
        }
        return "a number from " + format(min) + " to " + format(max);
    }

    /** Whole numbers without ".0", so a range 0..1 reads "from 0 to 1". */
    static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
