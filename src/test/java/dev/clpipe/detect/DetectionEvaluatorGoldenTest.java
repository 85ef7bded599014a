package dev.clpipe.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 10 random images, 3 classes, 44 ground truths (4 crowd regions), 86 detections with tied scores: COCO AP, AP50,
 * AP75 against a transliteration of pycocotools' evaluateImg + accumulate, VOC AP50 against
 * voc_eval, both written by {@code src/test/resources/detect/make_golden_eval.py}.
 */
class DetectionEvaluatorGoldenTest {
    private static final double TOLERANCE = 1e-9; // pycocotools divides by (tp + fp + 2.2e-16)

    @Test
    void matchesPythonReference() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/detect/golden_eval.json")) {
            root = new ObjectMapper().readTree(in);
        }
        DetectionEvaluator ev = new DetectionEvaluator();
        for (JsonNode im : root.get("images")) {
            List<Annotation> gt = new ArrayList<>();
            for (JsonNode g : im.get("gt")) {
                Box box = new Box(g.get(1).asDouble(), g.get(2).asDouble(), g.get(3).asDouble(), g.get(4).asDouble());
                String label = g.get(0).asText();
                gt.add(g.get(5).asInt() == 1 ? Annotation.crowd(label, box) : new Annotation(label, box));
            }
            List<Detection> dets = new ArrayList<>();
            for (JsonNode d : im.get("dets")) {
                dets.add(new Detection(d.get(0).asText(), d.get(1).asDouble(), new Box(d.get(2).asDouble(),
                        d.get(3).asDouble(), d.get(4).asDouble(), d.get(5).asDouble())));
            }
            ev.add(im.get("name").asText(), dets, gt);
        }
        EvaluationResult r = ev.evaluate();
        String regenerate = " (regenerate: python3 src/test/resources/detect/make_golden_eval.py > src/test/resources/detect/golden_eval.json)";
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("expected").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ClassMetrics c = r.get(e.getKey());
            JsonNode want = e.getValue();
            assertEquals(want.get("ap_coco").asDouble(), c.apCoco(), TOLERANCE, e.getKey() + " ap_coco" + regenerate);
            assertEquals(want.get("ap50_coco").asDouble(), c.ap50Coco(), TOLERANCE, e.getKey() + " ap50_coco" + regenerate);
            assertEquals(want.get("ap75_coco").asDouble(), c.ap75Coco(), TOLERANCE, e.getKey() + " ap75_coco" + regenerate);
            assertEquals(want.get("ap50_voc").asDouble(), c.ap50Voc(), TOLERANCE, e.getKey() + " ap50_voc" + regenerate);
        }
        assertEquals(root.get("expected").size(), r.classes().size());
    }
}
