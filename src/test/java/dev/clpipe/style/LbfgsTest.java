package dev.clpipe.style;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LbfgsTest {
    /** An ill-conditioned quadratic sum_i c_i (x_i - t_i)^2 with c from 1 to 1000. */
    @Test
    void minimisesAnIllConditionedQuadraticMonotonically() {
        int n = 50;
        double[] c = new double[n], t = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = Math.pow(1000, i / (double) (n - 1));
            t[i] = Math.sin(i);
        }
        Lbfgs.Objective f = (x, g) -> {
            double v = 0;
            for (int i = 0; i < n; i++) {
                v += c[i] * (x[i] - t[i]) * (x[i] - t[i]);
                g[i] = (float) (2 * c[i] * (x[i] - t[i]));
            }
            return v;
        };
        float[] x = new float[n];
        List<Double> values = new ArrayList<>();
        double last = new Lbfgs(8).minimize(x, f, 200, (it, v, xs) -> values.add(v));
        for (int i = 1; i < values.size(); i++) assertTrue(values.get(i) <= values.get(i - 1), "value rose at step " + i);
        assertTrue(last < 1e-6, "final value " + last);
        for (int i = 0; i < n; i++) assertEquals(t[i], x[i], 1e-3, "x[" + i + "]");
    }

    /** The Rosenbrock valley: a non-convex test that plain gradient descent crawls along. */
    @Test
    void findsTheRosenbrockMinimum() {
        Lbfgs.Objective f = (x, g) -> {
            double a = x[0], b = x[1];
            g[0] = (float) (-2 * (1 - a) - 400 * a * (b - a * a));
            g[1] = (float) (200 * (b - a * a));
            return (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a);
        };
        float[] x = {-1.2f, 1f};
        new Lbfgs(5).minimize(x, f, 200, (it, v, xs) -> true);
        assertEquals(1, x[0], 1e-2);
        assertEquals(1, x[1], 2e-2);
    }
}
