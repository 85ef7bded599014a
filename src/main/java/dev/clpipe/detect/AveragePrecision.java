package dev.clpipe.detect;

/**
 * Area under a precision/recall curve, two ways. Both first make precision monotone (each
 * precision becomes the highest precision at that or any higher recall).
 */
public final class AveragePrecision {
    /** COCO's recall thresholds 0, 0.01, ..., 1 (as {@code np.linspace(0, 1, 101)}). */
    static final int COCO_POINTS = 101;

    private AveragePrecision() {
    }

    /**
     * PASCAL VOC 2010+ "all-point" AP ({@code voc_ap(rec, prec, use_07_metric=False)}): with sentinels
     * recall 0 and 1 and precision 0 at both ends, the sum over recall steps of
     * {@code (r[i+1] - r[i]) * p_interp[i+1]}.
     */
    public static double vocAllPoint(double[] recall, double[] precision) {
        int n = recall.length;
        double[] r = new double[n + 2];
        double[] p = new double[n + 2];
        r[n + 1] = 1;
        for (int i = 0; i < n; i++) {
            r[i + 1] = recall[i];
            p[i + 1] = precision[i];
        }
        for (int i = n; i >= 0; i--) {
            p[i] = Math.max(p[i], p[i + 1]);
        }
        double ap = 0;
        for (int i = 0; i <= n; i++) {
            if (r[i + 1] != r[i]) {
                ap += (r[i + 1] - r[i]) * p[i + 1];
            }
        }
        return ap;
    }

    /**
     * COCO 101-point AP as pycocotools' {@code accumulate}: for each recall threshold {@code t}, the
     * interpolated precision at the first point whose recall is {@code >= t} (0 if recall never gets
     * there), averaged over the 101 thresholds. {@code recall} must be non-decreasing.
     */
    public static double coco101(double[] recall, double[] precision) {
        int n = recall.length;
        double[] p = precision.clone();
        for (int i = n - 1; i > 0; i--) {
            if (p[i] > p[i - 1]) {
                p[i - 1] = p[i];
            }
        }
        double sum = 0;
        int i = 0;
        for (int k = 0; k < COCO_POINTS; k++) {
            double t = threshold(k);
            while (i < n && recall[i] < t) {
                i++;
            }
            if (i == n) {
                break; // pycocotools leaves the remaining thresholds at 0
            }
            sum += p[i];
        }
        return sum / COCO_POINTS;
    }

    /** The k-th of {@code np.linspace(0, 1, 101)}: {@code k * (1/100)}, computed the same way. */
    static double threshold(int k) {
        return k == COCO_POINTS - 1 ? 1.0 : k * (1.0 / (COCO_POINTS - 1));
    }
}
