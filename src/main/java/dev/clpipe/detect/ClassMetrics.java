package dev.clpipe.detect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluation of one class.
 *
 * @param groundTruth number of ground-truth objects counted (ignored ones excluded)
 * @param detections number of detections of this class
 * @param ap50Voc VOC all-point AP at IoU 0.5, all detections
 * @param apCoco COCO AP: the 101-point AP averaged over the IoU thresholds (0.5:0.05:0.95)
 * @param ap50Coco COCO 101-point AP at IoU 0.5 (NaN if 0.5 is not among the thresholds)
 * @param ap75Coco COCO 101-point AP at IoU 0.75 (NaN if 0.75 is not among the thresholds)
 * @param curve50 the precision/recall curve at IoU 0.5, all detections (the one plotted)
 */
public record ClassMetrics(String label, int groundTruth, int detections, double ap50Voc, double apCoco,
                           double ap50Coco, double ap75Coco, PrCurve curve50) {

    /** A JSON-ready map (NaN becomes null). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ground_truth", groundTruth);
        m.put("detections", detections);
        m.put("ap50_voc", EvaluationResult.json(ap50Voc));
        m.put("ap_coco", EvaluationResult.json(apCoco));
        m.put("ap50_coco", EvaluationResult.json(ap50Coco));
        m.put("ap75_coco", EvaluationResult.json(ap75Coco));
        m.put("max_recall_50", EvaluationResult.json(curve50.maxRecall()));
        return m;
    }
}
