package dev.clpipe.nn;

import java.util.Random;

/** Helpers shared by the nn tests: random arrays and float/double conversions. */
final class NetTesting {
    private NetTesting() {}

    static double[] random(Random r, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = (2 * r.nextDouble() - 1) * scale;
        return a;
    }

    static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    static double[] doubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** Gives every parameter of the device network random values and copies them into the reference. */
    static void randomParams(Network net, ReferenceNetwork ref, Random r) {
        for (Param p : net.params()) {
            double[] v = random(r, p.size(), 0.5);
            if (p.name().endsWith("running_var")) for (int i = 0; i < v.length; i++) v[i] = 1 + Math.abs(v[i]);
            float[] f = floats(v);
            p.value().write(net.context().queue(), f);
            ref.params.put(p.name(), doubles(f));
        }
    }
}
