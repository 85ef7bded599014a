package dev.clpipe.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The outcome of a {@link DetectionEvaluator}: per-class metrics (classes with ground truth only)
 * and their means. Classes that only have detections have no defined AP (pycocotools marks them
 * -1 and leaves them out of the mean, as here); they are listed by name.
 */
public record EvaluationResult(int images, List<Double> iouThresholds, int cocoMaxDetections,
                               List<ClassMetrics> classes, List<String> classesWithoutGroundTruth) {
    public EvaluationResult {
        iouThresholds = List.copyOf(iouThresholds);
        classes = List.copyOf(classes);
        classesWithoutGroundTruth = List.copyOf(classesWithoutGroundTruth);
    }

    /** Mean over classes of VOC all-point AP at IoU 0.5 ("mAP@0.5", VOC). NaN with no classes. */
    public double map50Voc() {
        return mean(ClassMetrics::ap50Voc);
    }

    /** Mean over classes of COCO AP ("mAP@[.5:.95]"). NaN with no classes. */
    public double mapCoco() {
        return mean(ClassMetrics::apCoco);
    }

    public double map50Coco() {
        return mean(ClassMetrics::ap50Coco);
    }

    public double map75Coco() {
        return mean(ClassMetrics::ap75Coco);
    }

    /** The class's metrics, or null if it had no ground truth. */
    public ClassMetrics get(String label) {
        for (ClassMetrics c : classes) {
            if (c.label().equals(label)) {
                return c;
            }
        }
        return null;
    }

    /** The IoU-0.5 curves, one per class, for {@link PrCurvePlot}. */
    public List<PrCurve> curves50() {
        List<PrCurve> out = new ArrayList<>();
        for (ClassMetrics c : classes) {
            out.add(c.curve50());
        }
        return out;
    }

    /**
     * The {@code metrics.json} section, e.g. {@code "detection": {"images": 2, "map50_voc": 0.25,
     * "map_coco": 0.25, "map50_coco": …, "map75_coco": …, "iou_thresholds": […], "coco_max_detections": 100,
     * "classes": {"cat": {"ground_truth": 1, "detections": 3, "ap50_voc": 0.5, …}},
     * "classes_without_ground_truth": []}}}. Undefined values are null.
     */
    public Map<String, Object> toMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("images", images);
        m.put("map50_voc", json(map50Voc()));
        m.put("map_coco", json(mapCoco()));
        m.put("map50_coco", json(map50Coco()));
        m.put("map75_coco", json(map75Coco()));
        List<Double> shown = new ArrayList<>();
        for (double t : iouThresholds) {
            shown.add(Math.round(t * 1e6) / 1e6); // 0.9 rather than the exact 0.8999999999999999
        }
        m.put("iou_thresholds", shown);
        m.put("coco_max_detections", cocoMaxDetections);
        Map<String, Object> per = new LinkedHashMap<>();
        for (ClassMetrics c : classes) {
            per.put(c.label(), c.toMap());
        }
        m.put("classes", per);
        m.put("classes_without_ground_truth", classesWithoutGroundTruth);
        return m;
    }

    static Double json(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private double mean(ToDoubleFunction<ClassMetrics> f) {
        if (classes.isEmpty()) {
            return Double.NaN;
        }
        double s = 0;
        for (ClassMetrics c : classes) {
            s += f.applyAsDouble(c);
        }
        return s / classes.size();
    }
}
