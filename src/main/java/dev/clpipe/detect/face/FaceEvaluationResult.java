package dev.clpipe.detect.face;

import dev.clpipe.detect.ClassMetrics;
import dev.clpipe.detect.EvaluationResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Face detection quality against ground truth at IoU 0.5: precision and recall of all kept
 * detections (i.e. at the detector's score threshold) and AP@0.5 (VOC all-point and COCO
 * 101-point) over the detections' scores.
 */
public record FaceEvaluationResult(int images, int groundTruth, int detections, double precision, double recall,
                                   double ap50, double ap50Coco, EvaluationResult full) {
    public static FaceEvaluationResult of(EvaluationResult r) {
        ClassMetrics face = r.get(TinyFaceDecoder.LABEL);
        if (face == null) return new FaceEvaluationResult(r.images(), 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, r);
        double[] p = face.curve50().precision(), rec = face.curve50().recall();
        double precision = p.length == 0 ? 0 : p[p.length - 1];
        double recall = rec.length == 0 ? 0 : rec[rec.length - 1];
        return new FaceEvaluationResult(r.images(), face.groundTruth(), face.detections(), precision, recall, face.ap50Voc(), face.ap50Coco(), r);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("images", images);
        m.put("ground_truth", groundTruth);
        m.put("detections", detections);
        m.put("precision", finite(precision));
        m.put("recall", finite(recall));
        m.put("ap50", finite(ap50));
        m.put("ap50_coco", finite(ap50Coco));
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
