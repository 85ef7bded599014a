package dev.clpipe.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionEvaluatorTest {
    private static final double EPS = 1e-12;

    @TempDir
    Path dir;

    private static Detection det(String label, double score, double x1, double y1, double x2, double y2) {
        return new Detection(label, score, new Box(x1, y1, x2, y2));
    }

    private static Annotation gt(String label, double x1, double y1, double x2, double y2) {
        return new Annotation(label, new Box(x1, y1, x2, y2));
    }

    /**
     * One image, one class, three ground truths g1 [0,0,10,10], g2 [20,0,30,10], g3 [40,0,50,10]:
     * <pre>
     *   d1 0.9 = g1 exactly                IoU 1     -> TP at every threshold
     *   d2 0.8 far away                    IoU 0     -> FP
     *   d3 0.7 [22,0,32,10] on g2          IoU 80/120 = 2/3 -> TP at 0.50..0.65, FP at 0.70..0.95
     *   d4 0.6 = g1 again                  g1 taken  -> FP
     * </pre>
     * At 0.5: TP FP TP FP -> VOC AP 5/9, COCO 56/101 (see AveragePrecisionTest).
     * At 0.70..0.95 (6 thresholds): TP FP FP FP -> recall 1/3 max, precision 1 there -> 34/101.
     * COCO AP = (4 * 56/101 + 6 * 34/101) / 10 = 428/1010.
     */
    @Test
    void singleClassByHand() {
        DetectionEvaluator ev = new DetectionEvaluator();
        ev.add("a.jpg", List.of(det("car", 0.6, 0, 0, 10, 10), det("car", 0.9, 0, 0, 10, 10),
                        det("car", 0.8, 100, 100, 110, 110), det("car", 0.7, 22, 0, 32, 10)),
                List.of(gt("car", 0, 0, 10, 10), gt("car", 20, 0, 30, 10), gt("car", 40, 0, 50, 10)));
        EvaluationResult r = ev.evaluate();
        ClassMetrics car = r.get("car");
        assertEquals(3, car.groundTruth());
        assertEquals(4, car.detections());
        assertEquals(5.0 / 9, car.ap50Voc(), EPS);
        assertEquals(56.0 / 101, car.ap50Coco(), EPS);
        assertEquals(34.0 / 101, car.ap75Coco(), EPS);
        assertEquals(428.0 / 1010, car.apCoco(), EPS);
        assertEquals(5.0 / 9, r.map50Voc(), EPS);
        assertEquals(428.0 / 1010, r.mapCoco(), EPS);
        assertArrayEquals(new double[] {0.9, 0.8, 0.7, 0.6}, car.curve50().scores());
        assertArrayEquals(new double[] {1, 0.5, 2.0 / 3, 0.5}, car.curve50().precision(), EPS);
    }

    /**
     * Two images, two classes, an ignored ("difficult") ground truth, a class with no ground truth:
     * <pre>
     *   image A: cat g [0,0,10,10], cat difficult [50,50,60,60]
     *            cat 0.9 on the difficult one -> ignored; cat 0.8 on g -> TP
     *   image B: dog g [0,0,10,10]
     *            dog 0.5 far away -> FP; cat 0.95 on the dog's box -> FP (no cat there); bird 0.7 -> no bird ground truth
     *   cat: FP(0.95) TP(0.8), 1 ground truth -> recall 0, 1; precision 0, 1/2
     *        VOC: r = 0 0 1 1, p envelope = 1/2 1/2 1/2 0 -> AP = (1 - 0) * 1/2 = 1/2
     *        COCO: envelope 1/2, 1/2; every threshold finds a point -> 1/2 at every IoU
     *   dog: a single FP -> AP 0.   mAP = (1/2 + 0) / 2 = 1/4 both ways; bird is listed apart.
     * </pre>
     */
    @Test
    void ignoredGroundTruthAndSeveralClasses() throws IOException {
        DetectionEvaluator ev = new DetectionEvaluator();
        ev.add("A", List.of(det("cat", 0.9, 50, 50, 60, 60), det("cat", 0.8, 0, 0, 10, 10)),
                List.of(gt("cat", 0, 0, 10, 10), new Annotation("cat", new Box(50, 50, 60, 60), true)));
        ev.add("B", List.of(det("dog", 0.5, 80, 80, 90, 90), det("cat", 0.95, 0, 0, 10, 10), det("bird", 0.7, 1, 1, 2, 2)),
                List.of(gt("dog", 0, 0, 10, 10)));
        EvaluationResult r = ev.evaluate();
        assertEquals(0.5, r.get("cat").ap50Voc(), EPS);
        assertEquals(0.5, r.get("cat").apCoco(), EPS);
        assertEquals(0, r.get("dog").ap50Voc(), EPS);
        assertEquals(0, r.get("dog").apCoco(), EPS);
        assertEquals(0.25, r.map50Voc(), EPS);
        assertEquals(0.25, r.mapCoco(), EPS);
        assertNull(r.get("bird"));
        assertEquals(List.of("bird"), r.classesWithoutGroundTruth());

        Map<String, Object> m = r.toMetrics();
        String json = new ObjectMapper().writeValueAsString(Map.of("detection", m));
        assertTrue(json.contains("\"map50_voc\":0.25"), json);
        assertTrue(json.contains("\"cat\":{\"ground_truth\":1,\"detections\":3"), json);

        Path png = dir.resolve("plots/pr.png");
        PrCurvePlot.write(png, r.curves50(), "precision/recall @ IoU 0.5");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void perfectAndEmpty() {
        DetectionEvaluator ev = new DetectionEvaluator();
        ev.add("x", List.of(det("a", 0.9, 0, 0, 10, 10), det("a", 0.8, 20, 20, 30, 30)),
                List.of(gt("a", 0, 0, 10, 10), gt("a", 20, 20, 30, 30), gt("b", 0, 0, 5, 5)));
        EvaluationResult r = ev.evaluate();
        assertEquals(1, r.get("a").ap50Voc(), EPS);
        assertEquals(1, r.get("a").apCoco(), EPS);
        assertEquals(0, r.get("b").apCoco(), EPS); // ground truth never detected
        assertTrue(Double.isNaN(new DetectionEvaluator().evaluate().mapCoco()));
        assertNull(new DetectionEvaluator().evaluate().toMetrics().get("map_coco"));
    }

    /** pycocotools keeps the best maxDets detections per image and class for the COCO numbers only. */
    @Test
    void maxDetectionsLimitsCocoOnly() {
        DetectionEvaluator ev = new DetectionEvaluator(new DetectionEvaluator.Config(List.of(0.5), 1));
        // FP at 0.9, TP at 0.8: with one detection per image the TP never counts for COCO
        ev.add("x", List.of(det("a", 0.9, 50, 50, 60, 60), det("a", 0.8, 0, 0, 10, 10)), List.of(gt("a", 0, 0, 10, 10)));
        EvaluationResult r = ev.evaluate();
        assertEquals(0, r.get("a").apCoco(), EPS);
        assertEquals(0.5, r.get("a").ap50Voc(), EPS);
        assertThrows(IllegalArgumentException.class, () -> new DetectionEvaluator.Config(List.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> new DetectionEvaluator.Config(List.of(1.5), 1));
    }

    /**
     * A crowd region [0,0,100,100] and a detection [10,10,30,30] inside it: IoU = 400/10000 = 0.04,
     * but the crowd overlap is intersection / detection area = 400/400 = 1, so the detection is
     * ignored, not a false positive; a second one inside is ignored too (a crowd absorbs many).
     * A regular ground truth g [200,200,210,210] detected at 0.5 -> the only counted point: TP, AP 1.
     */
    @Test
    void crowdRegionsAbsorbDetections() {
        DetectionEvaluator ev = new DetectionEvaluator();
        ev.add("x", List.of(det("p", 0.9, 10, 10, 30, 30), det("p", 0.8, 50, 50, 70, 70), det("p", 0.5, 200, 200, 210, 210)),
                List.of(Annotation.crowd("p", new Box(0, 0, 100, 100)), gt("p", 200, 200, 210, 210)));
        EvaluationResult r = ev.evaluate();
        assertEquals(1, r.get("p").groundTruth());
        assertEquals(1, r.get("p").ap50Voc(), EPS);
        assertEquals(1, r.get("p").apCoco(), EPS);
        assertEquals(1, Annotation.crowd("p", new Box(0, 0, 100, 100)).overlap(new Box(10, 10, 30, 30)), EPS);
        assertEquals(0.04, new Annotation("p", new Box(0, 0, 100, 100)).overlap(new Box(10, 10, 30, 30)), EPS);
        assertThrows(IllegalArgumentException.class, () -> new Annotation("p", new Box(0, 0, 1, 1), false, true));
    }

    @Test
    void thresholdsAreNumpyLinspaceBitForBit() {
        List<Double> t = DetectionEvaluator.Config.DEFAULT.iouThresholds();
        // np.linspace(.5, .95, 10): 0.5 + i * ((0.95 - 0.5) / 9), last exactly 0.95
        assertEquals(List.of(0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95), t);
        @SuppressWarnings("unchecked")
        List<Double> shown = (List<Double>) new DetectionEvaluator().evaluate().toMetrics().get("iou_thresholds");
        assertEquals(0.9, shown.get(8));
    }

    @Test
    void matcherPrefersHighestIouUnmatched() {
        // two overlapping ground truths; the first detection overlaps g2 more, so it takes g2 and the
        // second detection can still take g1
        List<Annotation> truth = List.of(gt("a", 0, 0, 10, 10), gt("a", 4, 0, 14, 10));
        List<Detection> dets = List.of(det("a", 0.9, 3, 0, 13, 10), det("a", 0.8, 1, 0, 11, 10));
        assertEquals(List.of(GreedyMatcher.Outcome.TRUE_POSITIVE, GreedyMatcher.Outcome.TRUE_POSITIVE),
                GreedyMatcher.match(dets, truth, 0.5));
        // IoU exactly at the threshold matches: [0,0,3,1] vs [1,0,4,1] = 2/4
        assertEquals(List.of(GreedyMatcher.Outcome.TRUE_POSITIVE),
                GreedyMatcher.match(List.of(det("a", 1, 1, 0, 4, 1)), List.of(gt("a", 0, 0, 3, 1)), 0.5));
    }
}
