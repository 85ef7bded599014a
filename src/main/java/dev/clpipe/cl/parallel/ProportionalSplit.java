package dev.clpipe.cl.parallel;

import java.util.Arrays;

/**
 * Splits {@code total} rows over devices in proportion to their measured speed (rows per second),
 * by largest remainder, so the shares sum to {@code total} exactly and every device gets at least
 * one row. Equal speeds give an even split (the remainder to the first devices).
 */
public final class ProportionalSplit {
    private ProportionalSplit() {}

    public static int[] of(int total, double[] speeds) {
        int n = speeds.length;
        if (n == 0) throw new IllegalArgumentException("no devices to split over");
        if (total < n) throw new IllegalArgumentException("batch " + total + " cannot give each of " + n + " devices a row");
        double sum = 0;
        for (double s : speeds) {
            if (!(s > 0) || !Double.isFinite(s)) throw new IllegalArgumentException("device speeds must be positive: " + Arrays.toString(speeds));
            sum += s;
        }
        int[] rows = new int[n];
        double[] remainder = new double[n];
        int given = 0;
        for (int i = 0; i < n; i++) {
            double exact = total * speeds[i] / sum;
            rows[i] = Math.max(1, (int) Math.floor(exact)); // a slow device still takes part (and is re-measured)
            remainder[i] = exact - rows[i];
            given += rows[i];
        }
        while (given < total) { // largest remainder first
            int best = 0;
            for (int i = 1; i < n; i++) if (remainder[i] > remainder[best] + 1e-12) best = i;
            rows[best]++;
            remainder[best] -= 1;
            given++;
        }
        while (given > total) { // the minimum of one row overshot: take from the largest share
            int big = 0;
            for (int i = 1; i < n; i++) if (rows[i] > rows[big]) big = i;
            rows[big]--;
            given--;
        }
        return rows;
    }

    /** True when {@code next} moves some device by at least {@code tolerance} rows from {@code current}. */
    public static boolean differs(int[] current, int[] next, int tolerance) {
        if (current.length != next.length) return true;
        for (int i = 0; i < current.length; i++) if (Math.abs(current[i] - next[i]) >= tolerance) return true;
        return false;
    }
}
