package dev.clpipe.face.verify;

import java.util.Arrays;

/**
 * Verification quality from labelled pairs (distance, same person?): the rule "same when
 * d < t" swept over every threshold. Gives the ROC points, AUC, accuracy at a threshold, the
 * threshold of best accuracy and the equal error rate (where false accepts = false rejects).
 *
 * <p>Thresholds considered are the midpoints between consecutive distinct distances (plus one
 * below the smallest and one above the largest), so each reported rate is attained exactly.
 */
public final class RocCurve {
    /** One operating point: threshold t, true positive rate, false positive rate. */
    public record Point(double threshold, double tpr, double fpr) {}

    private final double[] distance;
    private final boolean[] same;
    private final int positives;
    private final int negatives;
    private final Point[] points;

    public RocCurve(double[] distances, boolean[] samePerson) {
        if (distances.length != samePerson.length) {
            throw new IllegalArgumentException(distances.length + " distances but " + samePerson.length + " labels");
        }
        int n = distances.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(distances[x], distances[y]));
        distance = new double[n];
        same = new boolean[n];
        int p = 0;
        for (int i = 0; i < n; i++) {
            distance[i] = distances[order[i]];
            same[i] = samePerson[order[i]];
            if (same[i]) p++;
        }
        positives = p;
        negatives = n - p;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("a ROC curve needs both same-person and different-person pairs (got "
                    + positives + " same, " + negatives + " different)");
        }
        points = sweep();
    }

    private Point[] sweep() {
        int n = distance.length;
        java.util.List<Point> out = new java.util.ArrayList<>();
        out.add(new Point(distance[0] - 1e-6, 0, 0));
        int tp = 0;
        int fp = 0;
        for (int i = 0; i < n; i++) {
            if (same[i]) tp++;
            else fp++;
            if (i + 1 < n && distance[i + 1] == distance[i]) continue;
            double t = i + 1 < n ? (distance[i] + distance[i + 1]) / 2 : distance[i] + 1e-6;
            out.add(new Point(t, (double) tp / positives, (double) fp / negatives));
        }
        return out.toArray(new Point[0]);
    }

    /** ROC points by increasing threshold, from (0, 0) to (1, 1). */
    public Point[] points() {
        return points.clone();
    }

    /** Area under the ROC curve (trapezoids; equals P(d_same < d_diff) with ties counted half). */
    public double auc() {
        double a = 0;
        for (int i = 1; i < points.length; i++) {
            a += (points[i].fpr() - points[i - 1].fpr()) * (points[i].tpr() + points[i - 1].tpr()) / 2;
        }
        return a;
    }

    /** Fraction of pairs classified right by "same when d < t". */
    public double accuracyAt(double t) {
        int right = 0;
        for (int i = 0; i < distance.length; i++) if ((distance[i] < t) == same[i]) right++;
        return (double) right / distance.length;
    }

    /** The threshold of highest accuracy (the smallest such one on ties). */
    public double bestThreshold() {
        double best = points[0].threshold();
        double bestAcc = -1;
        for (Point q : points) {
            double acc = (q.tpr() * positives + (1 - q.fpr()) * negatives) / (positives + negatives);
            if (acc > bestAcc + 1e-12) {
                bestAcc = acc;
                best = q.threshold();
            }
        }
        return best;
    }

    /**
     * Equal error rate: the rate where the false rejection rate (1 - TPR) meets the false
     * acceptance rate (FPR), linearly interpolated between the two ROC points around the crossing.
     */
    public double equalErrorRate() {
        for (int i = 1; i < points.length; i++) {
            double g0 = (1 - points[i - 1].tpr()) - points[i - 1].fpr();
            double g1 = (1 - points[i].tpr()) - points[i].fpr();
            if (g0 >= 0 && g1 <= 0) {
                double a = g0 == g1 ? 0 : g0 / (g0 - g1);
                return points[i - 1].fpr() + a * (points[i].fpr() - points[i - 1].fpr());
            }
        }
        return 0.5;
    }

    public int positives() {
        return positives;
    }

    public int negatives() {
        return negatives;
    }
}
