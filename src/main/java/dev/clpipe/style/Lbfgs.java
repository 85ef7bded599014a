package dev.clpipe.style;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Limited-memory BFGS (Nocedal and Wright, algorithm 7.4: two-loop recursion) with a backtracking
 * Armijo line search, on the host; the objective (cost and gradient) may run anywhere. Each
 * iteration takes one accepted step; a step that fails the line search clears the history and
 * retries along the steepest descent once before giving up.
 */
public final class Lbfgs {
    /** Fills {@code grad} with the gradient at {@code x} and returns the value. */
    public interface Objective {
        double evaluate(float[] x, float[] grad);
    }

    /** Called after every accepted step with the new value; returning false stops the run. */
    public interface Listener {
        boolean step(int iteration, double value, float[] x);
    }

    private static final double ARMIJO = 1e-4;
    private static final int MAX_BACKTRACKS = 20;

    private final int history;
    private int evaluations;

    public Lbfgs(int history) {
        if (history < 1) throw new IllegalArgumentException("lbfgs history must be >= 1, got " + history);
        this.history = history;
    }

    /** Objective evaluations of the last {@link #minimize} (line-search trials included). */
    public int evaluations() {
        return evaluations;
    }

    /** Minimises from {@code x} (updated in place) for up to {@code iterations} steps; returns the last value. */
    public double minimize(float[] x, Objective f, int iterations, Listener listener) {
        int n = x.length;
        float[] g = new float[n], gNew = new float[n], xNew = new float[n];
        double[] d = new double[n];
        Deque<double[][]> pairs = new ArrayDeque<>(); // {s, y, {1 / y's}}, newest first
        evaluations = 1;
        double value = f.evaluate(x, g);
        boolean steepest = false;
        for (int it = 1; it <= iterations; it++) {
            direction(g, pairs, d);
            double slope = 0;
            for (int i = 0; i < n; i++) slope += d[i] * g[i];
            if (!(slope < 0)) { // not a descent direction: restart from the gradient
                pairs.clear();
                direction(g, pairs, d);
                slope = 0;
                for (int i = 0; i < n; i++) slope += d[i] * g[i];
                if (!(slope < 0)) return value; // zero gradient
            }
            double step = pairs.isEmpty() ? 1 / Math.sqrt(-slope) : 1; // first step: unit length along -g
            double next = Double.NaN;
            boolean accepted = false;
            for (int b = 0; b < MAX_BACKTRACKS && !accepted; b++, step *= 0.5) {
                for (int i = 0; i < n; i++) xNew[i] = (float) (x[i] + step * d[i]);
                evaluations++;
                next = f.evaluate(xNew, gNew);
                accepted = next <= value + ARMIJO * step * slope;
            }
            if (!accepted) {
                if (steepest) return value;
                steepest = true;
                pairs.clear();
                it--;
                continue;
            }
            steepest = false;
            double[] s = new double[n], y = new double[n];
            double ys = 0;
            for (int i = 0; i < n; i++) {
                s[i] = (double) xNew[i] - x[i];
                y[i] = (double) gNew[i] - g[i];
                ys += y[i] * s[i];
            }
            if (ys > 1e-12) { // curvature condition; otherwise keep the old pairs
                pairs.addFirst(new double[][] {s, y, {1 / ys}});
                if (pairs.size() > history) pairs.removeLast();
            }
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            value = next;
            if (!listener.step(it, value, x)) return value;
        }
        return value;
    }

    /** d = -H g by the two-loop recursion, H0 = (s'y / y'y) I from the newest pair. */
    private static void direction(float[] g, Deque<double[][]> pairs, double[] d) {
        int n = g.length;
        for (int i = 0; i < n; i++) d[i] = -g[i];
        double[] alpha = new double[pairs.size()];
        int k = 0;
        for (double[][] p : pairs) {
            alpha[k] = p[2][0] * dot(p[0], d);
            axpy(-alpha[k], p[1], d);
            k++;
        }
        if (!pairs.isEmpty()) {
            double[][] newest = pairs.peekFirst();
            double gamma = 1 / (newest[2][0] * dot(newest[1], newest[1]));
            for (int i = 0; i < n; i++) d[i] *= gamma;
        }
        Iterator<double[][]> oldestFirst = pairs.descendingIterator();
        k = pairs.size() - 1;
        while (oldestFirst.hasNext()) {
            double[][] p = oldestFirst.next();
            double beta = p[2][0] * dot(p[1], d);
            axpy(alpha[k] - beta, p[0], d);
            k--;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) y[i] += a * x[i];
    }
}
