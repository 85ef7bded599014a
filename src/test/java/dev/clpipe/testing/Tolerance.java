package dev.clpipe.testing;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Named comparison policies (as CLBlast does) instead of bare epsilons sprinkled over tests.
 * A value passes when |got - want| <= absolute + relative * |want|.
 */
public record Tolerance(String name, double relative, double absolute) {
    /** Float kernels against a double or float Java reference with short accumulations. */
    public static final Tolerance FLOAT = new Tolerance("float", 5e-3, 1e-3);
    /** Long accumulations (GEMM/conv with K in the thousands): summation order differs. */
    public static final Tolerance FLOAT_LONG_SUM = new Tolerance("float-long-sum", 1e-2, 5e-3);
    /** Bit-exact results (data movement, integer work). */
    public static final Tolerance EXACT = new Tolerance("exact", 0, 0);
    /** Finite-difference gradient checks in double precision. */
    public static final Tolerance GRADIENT = new Tolerance("gradient", 1e-3, 1e-4);

    public boolean accepts(double got, double want) {
        if (Double.isNaN(got) || Double.isNaN(want)) return Double.isNaN(got) && Double.isNaN(want);
        return Math.abs(got - want) <= absolute + relative * Math.abs(want);
    }

    public void assertClose(float[] got, float[] want, String what) {
        if (got.length != want.length) fail(what + ": length " + got.length + " != " + want.length);
        for (int i = 0; i < got.length; i++) {
            if (!accepts(got[i], want[i])) {
                fail(String.format("%s: element %d is %.7g, expected %.7g (tolerance %s: rel %.1g abs %.1g)",
                        what, i, got[i], want[i], name, relative, absolute));
            }
        }
    }

    public void assertClose(double[] got, double[] want, String what) {
        if (got.length != want.length) fail(what + ": length " + got.length + " != " + want.length);
        for (int i = 0; i < got.length; i++) {
            if (!accepts(got[i], want[i])) {
                fail(String.format("%s: element %d is %.9g, expected %.9g (tolerance %s)", what, i, got[i], want[i], name));
            }
        }
    }

    /** The same floats bit for bit (the sign of zero too): a fused form against the kernels it replaces. */
    public static void assertSameBits(float[] got, float[] want, String what) {
        if (got.length != want.length) fail(what + ": length " + got.length + " != " + want.length);
        for (int i = 0; i < got.length; i++) {
            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])) {
                fail(String.format("%s: element %d is %.9g, expected the bits of %.9g", what, i, got[i], want[i]));
            }
        }
    }
}
