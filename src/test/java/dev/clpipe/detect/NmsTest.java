package dev.clpipe.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NmsTest {
    private static Detection det(String label, double score, double x1, double y1, double x2, double y2) {
        return new Detection(label, score, new Box(x1, y1, x2, y2));
    }

    @Test
    void courseExampleDefaults() {
        Detection car1 = det("car", 0.9, 0, 0, 10, 10);
        Detection car1b = det("car", 0.8, 1, 0, 11, 10);   // IoU 90/110 = 0.818 -> suppressed
        Detection car2 = det("car", 0.7, 20, 0, 30, 10);   // no overlap -> kept
        Detection weak = det("car", 0.6, 40, 0, 50, 10);   // score <= 0.6 -> discarded
        Detection ped = det("person", 0.65, 0, 0, 10, 10); // other class, same box -> kept
        List<Detection> out = Nms.apply(List.of(weak, car1b, ped, car2, car1));
        assertEquals(List.of(car1, car2, ped), out);
    }

    @Test
    void iouAtThresholdIsSuppressed() {
        // [0,0,3,1] and [1,0,4,1]: overlap 2, union 4, IoU exactly 0.5 -> suppressed (>=)
        Detection a = det("x", 0.9, 0, 0, 3, 1);
        Detection b = det("x", 0.8, 1, 0, 4, 1);
        assertEquals(List.of(a), Nms.apply(List.of(a, b)));
        assertEquals(List.of(a, b), Nms.apply(List.of(a, b), NmsConfig.DEFAULT.withIouThreshold(0.51)));
    }

    @Test
    void classAgnosticSuppressesAcrossLabels() {
        Detection a = det("cat", 0.9, 0, 0, 10, 10);
        Detection b = det("dog", 0.8, 0, 0, 10, 10);
        assertEquals(List.of(a, b), Nms.apply(List.of(b, a)));
        assertEquals(List.of(a), Nms.apply(List.of(b, a), NmsConfig.DEFAULT.withClassAgnostic(true)));
    }

    @Test
    void tiesAreBrokenDeterministically() {
        Detection left = det("x", 0.8, 0, 0, 10, 10);
        Detection right = det("x", 0.8, 2, 0, 12, 10);
        // equal scores: the box with smaller x1 wins whatever the input order
        assertEquals(List.of(left), Nms.apply(List.of(right, left)));
        assertEquals(List.of(left), Nms.apply(List.of(left, right)));
        Detection b = det("b", 0.8, 0, 0, 10, 10);
        Detection a = det("a", 0.8, 0, 0, 10, 10);
        assertEquals(List.of(a), Nms.apply(List.of(b, a), NmsConfig.DEFAULT.withClassAgnostic(true)));
    }

    @Test
    void maxDetectionsAndValidation() {
        List<Detection> ds = List.of(det("x", 0.9, 0, 0, 1, 1), det("x", 0.8, 5, 5, 6, 6), det("x", 0.7, 9, 9, 10, 10));
        assertEquals(2, Nms.apply(ds, NmsConfig.DEFAULT.withMaxDetections(2)).size());
        assertThrows(IllegalArgumentException.class, () -> NmsConfig.DEFAULT.withIouThreshold(0));
        assertThrows(IllegalArgumentException.class, () -> NmsConfig.DEFAULT.withScoreThreshold(1.1));
    }

    /** The fast path agrees with the textbook list-removal algorithm on random clutter. */
    @Test
    void fastPathMatchesReferenceOnThousandsOfBoxes() {
        Random rnd = new Random(7);
        List<Detection> ds = new ArrayList<>();
        String[] labels = {"a", "b", "c"};
        for (int i = 0; i < 3000; i++) {
            double x = rnd.nextDouble() * 500;
            double y = rnd.nextDouble() * 500;
            double score = Math.round(rnd.nextDouble() * 50) / 50.0; // many ties
            ds.add(det(labels[rnd.nextInt(3)], score, x, y, x + 10 + rnd.nextDouble() * 60, y + 10 + rnd.nextDouble() * 60));
        }
        for (boolean agnostic : new boolean[] {false, true}) {
            NmsConfig cfg = new NmsConfig(0.3, 0.45, agnostic, 0);
            List<Detection> want = reference(ds, cfg);
            assertEquals(want, Nms.apply(ds, cfg, Integer.MAX_VALUE), "all pairs, agnostic=" + agnostic);
            assertEquals(want, Nms.apply(ds, cfg, 0), "grid, agnostic=" + agnostic);
            NmsConfig top = cfg.withMaxDetections(50);
            assertEquals(want.subList(0, 50), Nms.apply(ds, top, 0), "grid, top 50");
        }
        List<Detection> many = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            double x = rnd.nextDouble() * 2000;
            double y = rnd.nextDouble() * 2000;
            many.add(det("a", 0.61 + 0.39 * rnd.nextDouble(), x, y, x + 30, y + 30));
        }
        long t0 = System.nanoTime();
        List<Detection> kept = Nms.apply(many);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(kept.size() > 100 && kept.size() < many.size());
        assertTrue(seconds < 30, "20000 boxes took " + seconds + " s"); // ~0.05-0.1 s through the grid; generous for a shared CI machine
    }

    /** Degenerate geometry through the grid path: identical boxes, zero-area boxes, one point. */
    @Test
    void gridHandlesDegenerateBoxes() {
        List<Detection> same = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            same.add(det("a", 0.9 - i * 0.01, 3, 3, 3, 3)); // zero area: IoU 0, nothing suppressed
        }
        assertEquals(same, Nms.apply(same, NmsConfig.DEFAULT, 0));
        List<Detection> stack = List.of(det("a", 0.9, 0, 0, 4, 4), det("a", 0.8, 0, 0, 4, 4), det("b", 0.7, 0, 0, 4, 4));
        assertEquals(List.of(stack.get(0), stack.get(2)), Nms.apply(stack, NmsConfig.DEFAULT, 0));
        assertEquals(List.of(), Nms.apply(List.of(), NmsConfig.DEFAULT, 0));
        // one huge box among small ones, all overlapping it a little
        List<Detection> mixed = new ArrayList<>(List.of(det("a", 0.95, 0, 0, 1000, 1000)));
        Random rnd = new Random(2);
        for (int i = 0; i < 500; i++) {
            double x = rnd.nextDouble() * 990;
            double y = rnd.nextDouble() * 990;
            mixed.add(det("a", 0.61 + 0.3 * rnd.nextDouble(), x, y, x + 10, y + 10));
        }
        NmsConfig cfg = NmsConfig.DEFAULT.withIouThreshold(0.3);
        assertEquals(reference(mixed, cfg), Nms.apply(mixed, cfg, 0));
    }

    /** Textbook NMS: pick the best, remove everything overlapping it, repeat. */
    private static List<Detection> reference(List<Detection> in, NmsConfig cfg) {
        List<Detection> left = new ArrayList<>();
        for (Detection d : in) {
            if (d.score() > cfg.scoreThreshold()) {
                left.add(d);
            }
        }
        List<Integer> pos = new ArrayList<>();
        for (Detection d : left) {
            pos.add(in.indexOf(d));
        }
        List<Detection> out = new ArrayList<>();
        while (!left.isEmpty()) {
            int best = 0;
            for (int i = 1; i < left.size(); i++) {
                int c = Nms.ORDER.compare(left.get(i), left.get(best));
                if (c < 0 || c == 0 && pos.get(i) < pos.get(best)) {
                    best = i;
                }
            }
            Detection b = left.get(best);
            out.add(b);
            for (int i = left.size() - 1; i >= 0; i--) {
                Detection d = left.get(i);
                if (i == best || (cfg.classAgnostic() || d.label().equals(b.label())) && d.box().iou(b.box()) >= cfg.iouThreshold()) {
                    left.remove(i);
                    pos.remove(i);
                }
            }
        }
        return Collections.unmodifiableList(out);
    }
}
