package dev.clpipe.nn.ops;

import static org.junit.jupiter.api.Assertions.fail;

import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/** Shared helpers for op tests: random data, conversions, finite-difference gradient checks. */
public final class OpTesting {
    private OpTesting() {}

    /** Keeps only the first {@code small} cases under Oclgrind (make kernel-check), all otherwise. */
    static <T> List<T> cases(int small, List<T> all) {
        return TestDevices.underOclgrind() ? all.subList(0, Math.min(small, all.size())) : all;
    }

    public static float[] uniform(Random r, int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * r.nextFloat();
        return a;
    }

    /** Distinct values (a shuffled ramp) so max-style ops have no ties near the check step. */
    static float[] distinct(Random r, int n) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        java.util.Collections.shuffle(order, r);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (order.get(i) - n / 2f) * 0.01f;
        return a;
    }

    /** Values with |x| >= 0.05, away from the kink of ReLU-style functions. */
    static float[] awayFromZero(Random r, int n) {
        float[] a = uniform(r, n, -2f, 2f);
        for (int i = 0; i < n; i++) if (Math.abs(a[i]) < 0.05f) a[i] += a[i] < 0 ? -0.05f : 0.05f;
        return a;
    }

    public static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    public static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /**
     * Checks {@code analytic} = d loss / d x by central differences at up to 60 coordinates
     * (all when x is small), in double precision, with the GRADIENT tolerance.
     */
    static void checkGradient(String what, ToDoubleFunction<double[]> loss, double[] x, double[] analytic) {
        checkGradient(what, loss, x, analytic, 60);
    }

    /** As {@link #checkGradient(String, ToDoubleFunction, double[], double[])} at up to {@code coordinates} coordinates. */
    public static void checkGradient(String what, ToDoubleFunction<double[]> loss, double[] x, double[] analytic, int coordinates) {
        double h = 1e-6;
        int step = Math.max(1, x.length / coordinates);
        double[] probe = x.clone();
        for (int i = 0; i < x.length; i += step) {
            probe[i] = x[i] + h;
            double up = loss.applyAsDouble(probe);
            probe[i] = x[i] - h;
            double down = loss.applyAsDouble(probe);
            probe[i] = x[i];
            double numeric = (up - down) / (2 * h);
            if (!Tolerance.GRADIENT.accepts(analytic[i], numeric)) {
                fail(String.format("%s: gradient at %d is %.9g, finite difference gives %.9g", what, i, analytic[i], numeric));
            }
        }
    }

    static String shape(int... s) {
        return Arrays.toString(s);
    }
}
