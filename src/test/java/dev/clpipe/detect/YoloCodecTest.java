package dev.clpipe.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class YoloCodecTest {
    private static final double EPS = 1e-4;
    private final YoloLayout layout = new YoloLayout(3, 4, 2, 3, YoloLayout.ClassActivation.SOFTMAX);
    private final AnchorSet anchors = AnchorSet.of(AnchorSet.Unit.CELLS, 1, 2, 2, 1);
    private final List<String> names = List.of("pedestrian", "car", "motorcycle");

    @Test
    void layoutIsRowColAnchorChannel() {
        assertEquals(8, layout.channels());
        assertEquals(3 * 4 * 2 * 8, layout.size());
        // row 1, col 2, anchor 1: ((1*4 + 2)*2 + 1)*8 = 104
        assertEquals(104, layout.slot(1, 2, 1));
    }

    @Test
    void decodeByHand() {
        double[] raw = new double[layout.size()];
        java.util.Arrays.fill(raw, -20); // every slot: no object
        int s = layout.slot(1, 2, 0);
        raw[s + YoloLayout.PC] = 0;      // sigmoid 0.5
        raw[s + YoloLayout.BX] = 0;      // 0.5 into the cell
        raw[s + YoloLayout.BY] = 0;
        raw[s + YoloLayout.BH] = Math.log(1.5); // 1.5 * anchor h 2 = 3 cells
        raw[s + YoloLayout.BW] = 0;             // 1 * anchor w 1 = 1 cell
        raw[s + YoloLayout.CLASS0] = 0;
        raw[s + YoloLayout.CLASS0 + 1] = Math.log(8); // softmax (1, 8, 1)/10 -> car 0.8
        raw[s + YoloLayout.CLASS0 + 2] = 0;
        // 400x300 image, 4x3 grid: cells are 100x100. cx = (2 + 0.5) * 100 = 250, cy = 150,
        // w = 100, h = 300 -> (200, 0, 300, 300); score 0.5 * 0.8 = 0.4
        List<Detection> ds = new YoloDecoder(layout, anchors, names).decode(raw, 400, 300, 0.3);
        assertEquals(1, ds.size());
        Detection d = ds.get(0);
        assertEquals("car", d.label());
        assertEquals(0.4, d.score(), 1e-12);
        assertEquals(200, d.box().x1(), 1e-9);
        assertEquals(0, d.box().y1(), 1e-9);
        assertEquals(300, d.box().x2(), 1e-9);
        assertEquals(300, d.box().y2(), 1e-9);
        assertEquals(0, new YoloDecoder(layout, anchors, names).decode(raw, 400, 300, 0.41).size());
    }

    @Test
    void encodeThenDecodeRecoversTheBoxes() {
        List<Annotation> gt = List.of(
                new Annotation("pedestrian", Box.fromCentre(150, 200, 60, 180)),
                new Annotation("car", Box.fromCentre(320, 70, 150, 80)));
        YoloEncoder.Target t = new YoloEncoder(layout, anchors, names).encode(gt, 400, 300);
        assertEquals(2, t.objects());
        assertEquals(0, t.collisions());
        // raw outputs a perfect network would produce for this target
        float[] raw = new float[layout.size()];
        for (int s = 0; s < layout.slots(); s++) {
            int b = s * layout.channels();
            boolean obj = t.values()[b + YoloLayout.PC] == 1;
            raw[b + YoloLayout.PC] = obj ? 30 : -30;
            raw[b + YoloLayout.BX] = logit(t.values()[b + YoloLayout.BX]);
            raw[b + YoloLayout.BY] = logit(t.values()[b + YoloLayout.BY]);
            raw[b + YoloLayout.BH] = t.values()[b + YoloLayout.BH];
            raw[b + YoloLayout.BW] = t.values()[b + YoloLayout.BW];
            for (int c = 0; c < 3; c++) {
                raw[b + YoloLayout.CLASS0 + c] = t.values()[b + YoloLayout.CLASS0 + c] * 30;
            }
        }
        List<Detection> ds = new YoloDecoder(layout, anchors, names).decode(raw, 0, 400, 300, 0.5);
        assertEquals(2, ds.size());
        for (int i = 0; i < 2; i++) {
            Annotation want = gt.get(i);
            Detection got = ds.stream().filter(d -> d.label().equals(want.label())).findFirst().orElseThrow();
            assertEquals(1, got.score(), 1e-6);
            assertEquals(want.box().x1(), got.box().x1(), EPS * 400);
            assertEquals(want.box().y1(), got.box().y1(), EPS * 400);
            assertEquals(want.box().x2(), got.box().x2(), EPS * 400);
            assertEquals(want.box().y2(), got.box().y2(), EPS * 400);
        }
        // the same object twice: the slot is taken, counted as a collision
        YoloEncoder.Target twice = new YoloEncoder(layout, anchors, names).encode(List.of(gt.get(0), gt.get(0)), 400, 300);
        assertEquals(1, twice.objects());
        assertEquals(1, twice.collisions());
        assertThrows(IllegalArgumentException.class,
                () -> new YoloEncoder(layout, anchors, names).encode(List.of(new Annotation("bus", gt.get(0).box())), 400, 300));
    }

    /** Sigmoid classes, second image of a batch of two, pixel anchors converted to cells. */
    @Test
    void decodeSigmoidClassesFromABatch() {
        YoloLayout sig = new YoloLayout(1, 2, 1, 2, YoloLayout.ClassActivation.SIGMOID);
        AnchorSet px = AnchorSet.of(AnchorSet.Unit.PIXELS, 50, 100); // cells are 100x200 on a 200x200 image
        YoloDecoder dec = new YoloDecoder(sig, px.inCells(100, 200), List.of("a", "b"));
        float[] batch = new float[2 * sig.size()];
        java.util.Arrays.fill(batch, -30);
        int s = sig.size() + sig.slot(0, 1, 0);
        batch[s + YoloLayout.PC] = 2;   // sigmoid 0.880797
        batch[s + YoloLayout.BX] = 0;
        batch[s + YoloLayout.BY] = 0;
        batch[s + YoloLayout.BH] = 0;   // 0.5 cells * 200 = 100 px
        batch[s + YoloLayout.BW] = 0;   // 0.5 cells * 100 = 50 px
        batch[s + YoloLayout.CLASS0] = 1;      // sigmoid 0.731059: independent of class b
        batch[s + YoloLayout.CLASS0 + 1] = 3;  // sigmoid 0.952574 -> best
        assertEquals(0, dec.decode(batch, 0, 200, 200, 0.1).size());
        List<Detection> ds = dec.decode(batch, 1, 200, 200, 0.1);
        assertEquals(1, ds.size());
        assertEquals("b", ds.get(0).label());
        assertEquals(sigmoid(2) * sigmoid(3), ds.get(0).score(), 1e-6);
        // centre (1 + 0.5) * 100 = 150, 100 -> box 125..175 x 50..150
        assertEquals(new Box(125, 50, 175, 150), ds.get(0).box());
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void decodeEveryClassGivesEachClassAboveTheMinimumScore() {
        // one slot, softmax classes with probabilities 0.7, 0.2, 0.1 (logits log p), objectness sigmoid(0) = 0.5
        YoloLayout one = new YoloLayout(1, 1, 1, 3, YoloLayout.ClassActivation.SOFTMAX);
        float[] raw = {0, 0, 0, 0, 0, (float) Math.log(0.7), (float) Math.log(0.2), (float) Math.log(0.1)};
        YoloDecoder dec = new YoloDecoder(one, AnchorSet.of(AnchorSet.Unit.CELLS, 0.5, 0.5), List.of("a", "b", "c"));
        List<Detection> all = dec.decodeEveryClass(raw, 0, 100, 100, 0.08);
        assertEquals(2, all.size()); // 0.35 and 0.10 reach 0.08; 0.05 does not
        assertEquals("a", all.get(0).label());
        assertEquals(0.35, all.get(0).score(), 1e-6);
        assertEquals("b", all.get(1).label());
        assertEquals(0.10, all.get(1).score(), 1e-6);
        assertEquals(all.get(0).box(), all.get(1).box());
        assertEquals(List.of(all.get(0)), dec.decode(raw, 0, 100, 100, 0.08));
    }

    @Test
    void decoderChecksShapes() {
        YoloDecoder dec = new YoloDecoder(layout, anchors, names);
        assertThrows(IllegalArgumentException.class, () -> dec.decode(new double[5], 10, 10, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new YoloDecoder(layout, anchors, List.of("a")));
        assertThrows(IllegalArgumentException.class,
                () -> new YoloDecoder(layout, AnchorSet.of(AnchorSet.Unit.PIXELS, 1, 2, 2, 1), names));
    }

    private static float logit(float p) {
        double q = Math.min(Math.max(p, 1e-6), 1 - 1e-6);
        return (float) Math.log(q / (1 - q));
    }
}
