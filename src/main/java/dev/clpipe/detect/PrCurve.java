package dev.clpipe.detect;

/**
 * The precision/recall curve of one class at one IoU threshold: one point per counted detection
 * (ignored ones are left out), in descending score order. {@code recall[i] = TP_i / groundTruth},
 * {@code precision[i] = TP_i / (TP_i + FP_i)} over the first {@code i + 1} detections.
 */
public record PrCurve(String label, double iouThreshold, int groundTruth, double[] scores, double[] recall,
                      double[] precision) {
    public PrCurve {
        if (scores.length != recall.length || recall.length != precision.length) {
            throw new IllegalArgumentException("curve arrays differ in length");
        }
    }

    /** Builds the curve from per-detection outcomes already in descending score order. */
    static PrCurve of(String label, double iouThreshold, int groundTruth, double[] scores, boolean[] truePositive) {
        int n = scores.length;
        double[] recall = new double[n];
        double[] precision = new double[n];
        int tp = 0;
        for (int i = 0; i < n; i++) {
            if (truePositive[i]) {
                tp++;
            }
            recall[i] = groundTruth > 0 ? (double) tp / groundTruth : 0;
            precision[i] = (double) tp / (i + 1);
        }
        return new PrCurve(label, iouThreshold, groundTruth, scores.clone(), recall, precision);
    }

    /** VOC all-point interpolated AP of this curve. */
    public double vocAp() {
        return AveragePrecision.vocAllPoint(recall, precision);
    }

    /** COCO 101-point interpolated AP of this curve. */
    public double cocoAp() {
        return AveragePrecision.coco101(recall, precision);
    }

    /** Highest recall reached (0 with no detections). */
    public double maxRecall() {
        return recall.length == 0 ? 0 : recall[recall.length - 1];
    }
}
