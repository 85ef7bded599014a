package dev.clpipe.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Accumulates detections and ground truth image by image, then computes per-class
 * precision/recall curves, VOC AP@0.5 (all-point) and COCO AP@[.5:.95] (101-point), with
 * {@link GreedyMatcher} matching. Order of detections across images: descending score, ties in
 * the order images were added (as pycocotools with its stable sort).
 *
 * <pre>
 *   DetectionEvaluator ev = new DetectionEvaluator();
 *   ev.add("a.jpg", detections, groundTruth);          // once per image
 *   EvaluationResult r = ev.evaluate();
 *   r.map50Voc(); r.mapCoco(); r.toMetrics();          // -> metrics.json "detection"
 * </pre>
 */
public final class DetectionEvaluator {
    /**
     * @param iouThresholds the COCO thresholds averaged into {@code ap_coco} (default 0.50, 0.55, …, 0.95)
     * @param cocoMaxDetections per image and class, only the best this many count for the COCO
     *     metrics (pycocotools' maxDets, default 100; 0 = all). VOC AP@0.5 always uses all.
     */
    public record Config(List<Double> iouThresholds, int cocoMaxDetections) {
        public static final Config DEFAULT = new Config(cocoThresholds(), 100);

        public Config {
            if (iouThresholds.isEmpty()) {
                throw new IllegalArgumentException("evaluation.iou_thresholds must not be empty");
            }
            for (double t : iouThresholds) {
                if (!(t > 0 && t <= 1)) {
                    throw new IllegalArgumentException("evaluation.iou_thresholds must be within (0, 1], got " + t);
                }
            }
            if (cocoMaxDetections < 0) {
                throw new IllegalArgumentException("evaluation.max_detections must be >= 0, got " + cocoMaxDetections);
            }
            iouThresholds = List.copyOf(iouThresholds);
        }

        /** 0.50, 0.55, …, 0.95 computed as {@code np.linspace(.5, .95, 10)} does. */
        private static List<Double> cocoThresholds() {
            List<Double> t = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                t.add(i == 9 ? 0.95 : 0.5 + i * ((0.95 - 0.5) / 9)); // bit-identical to numpy
            }
            return t;
        }
    }

    private record Image(String name, List<Detection> detections, List<Annotation> truth) {
    }

    private final Config config;
    private final List<Image> images = new ArrayList<>();

    public DetectionEvaluator() {
        this(Config.DEFAULT);
    }

    public DetectionEvaluator(Config config) {
        this.config = config;
    }

    /** Adds one image: its detections (any order) and its ground truth (pixels, same frame). */
    public void add(String image, List<Detection> detections, List<Annotation> truth) {
        images.add(new Image(image, List.copyOf(detections), List.copyOf(truth)));
    }

    public EvaluationResult evaluate() {
        TreeSet<String> labels = new TreeSet<>();
        for (Image im : images) {
            im.detections().forEach(d -> labels.add(d.label()));
            im.truth().forEach(a -> labels.add(a.label()));
        }
        List<ClassMetrics> classes = new ArrayList<>();
        List<String> without = new ArrayList<>();
        for (String label : labels) {
            int npos = 0;
            int ndet = 0;
            for (Image im : images) {
                npos += (int) im.truth().stream().filter(a -> a.label().equals(label) && !a.ignore()).count();
                ndet += (int) im.detections().stream().filter(d -> d.label().equals(label)).count();
            }
            if (npos == 0) {
                without.add(label);
                continue;
            }
            PrCurve voc = curve(label, npos, 0.5, 0);
            double sum = 0;
            double ap50 = Double.NaN;
            double ap75 = Double.NaN;
            for (double t : config.iouThresholds()) {
                double ap = curve(label, npos, t, config.cocoMaxDetections()).cocoAp();
                sum += ap;
                if (Math.abs(t - 0.5) < 1e-9) {
                    ap50 = ap;
                }
                if (Math.abs(t - 0.75) < 1e-9) {
                    ap75 = ap;
                }
            }
            classes.add(new ClassMetrics(label, npos, ndet, voc.vocAp(), sum / config.iouThresholds().size(),
                    ap50, ap75, voc));
        }
        return new EvaluationResult(images.size(), config.iouThresholds(), config.cocoMaxDetections(), classes, without);
    }

    private record Scored(double score, boolean truePositive) {
    }

    private PrCurve curve(String label, int npos, double iouThreshold, int maxDetections) {
        List<Scored> all = new ArrayList<>();
        for (Image im : images) {
            List<Detection> dets = new ArrayList<>();
            for (Detection d : im.detections()) {
                if (d.label().equals(label)) {
                    dets.add(d);
                }
            }
            dets.sort(Comparator.comparingDouble(Detection::score).reversed()); // stable
            if (maxDetections > 0 && dets.size() > maxDetections) {
                dets = dets.subList(0, maxDetections);
            }
            List<Annotation> truth = new ArrayList<>();
            for (Annotation a : im.truth()) {
                if (a.label().equals(label)) {
                    truth.add(a);
                }
            }
            List<GreedyMatcher.Outcome> outcomes = GreedyMatcher.match(dets, truth, iouThreshold);
            for (int i = 0; i < dets.size(); i++) {
                if (outcomes.get(i) != GreedyMatcher.Outcome.IGNORED) {
                    all.add(new Scored(dets.get(i).score(), outcomes.get(i) == GreedyMatcher.Outcome.TRUE_POSITIVE));
                }
            }
        }
        all.sort(Comparator.comparingDouble(Scored::score).reversed()); // stable: image order breaks ties
        double[] scores = new double[all.size()];
        boolean[] tp = new boolean[all.size()];
        for (int i = 0; i < all.size(); i++) {
            scores[i] = all.get(i).score();
            tp[i] = all.get(i).truePositive();
        }
        return PrCurve.of(label, iouThreshold, npos, scores, tp);
    }
}
