package dev.clpipe.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class YoloLossTest {
    private static final AnchorSet ANCHORS = AnchorSet.of(AnchorSet.Unit.CELLS, 1, 2, 2, 1);
    private static final List<String> NAMES = List.of("a", "b", "c");

    @Test
    void valueByHand() {
        // 1x1 grid, 1 anchor, 2 classes, softmax; all raw outputs 0.
        YoloLayout layout = new YoloLayout(1, 1, 1, 2, YoloLayout.ClassActivation.SOFTMAX);
        YoloLoss loss = new YoloLoss(layout, YoloLoss.Weights.DEFAULT);
        double[] raw = new double[7];
        // empty slot: 0.5 * sigmoid(0)^2 = 0.125
        assertEquals(0.125, loss.compute(raw, new double[7], 1, null), 1e-12);
        // object, target (pc 1, x 0.25, y 0.5, h 0.1, w -0.2, class 1):
        //   obj 1 * (0.5 - 1)^2 = 0.25
        //   coord 5 * [(0.5-0.25)^2 + 0 + 0.1^2 + 0.2^2] = 5 * 0.1125 = 0.5625
        //   class -log(0.5) = 0.693147...
        double[] y = {1, 0.25, 0.5, 0.1, -0.2, 0, 1};
        double[] g = new double[7];
        assertEquals(0.25 + 0.5625 + Math.log(2), loss.compute(raw, y, 1, g), 1e-12);
        // d/dt_pc = 2 (0.5 - 1) * 0.25 = -0.25; d/dt_bx = 5 * 2 * 0.25 * 0.25 = 0.625; d/dt_bh = 5 * 2 * -0.1 = -1
        assertEquals(-0.25, g[YoloLayout.PC], 1e-12);
        assertEquals(0.625, g[YoloLayout.BX], 1e-12);
        assertEquals(-1, g[YoloLayout.BH], 1e-12);
        assertEquals(2, g[YoloLayout.BW], 1e-12);
        assertEquals(0.5, g[YoloLayout.CLASS0], 1e-12);
        assertEquals(-0.5, g[YoloLayout.CLASS0 + 1], 1e-12);
    }

    @Test
    void gradientMatchesFiniteDifferencesSoftmax() {
        gradientCheck(YoloLayout.ClassActivation.SOFTMAX);
    }

    @Test
    void gradientMatchesFiniteDifferencesSigmoid() {
        gradientCheck(YoloLayout.ClassActivation.SIGMOID);
    }

    @Test
    void gradientMatchesFiniteDifferencesBceObjectness() {
        gradientCheck(YoloLayout.ClassActivation.SOFTMAX, YoloLoss.Objectness.BCE);
        gradientCheck(YoloLayout.ClassActivation.SIGMOID, YoloLoss.Objectness.BCE);
    }

    @Test
    void bceObjectnessByHand() {
        // 1x1 grid, raw all 0: empty slot noObj 0.5 * log 2; gradient 0.5 * sigmoid(0) = 0.25
        YoloLayout layout = new YoloLayout(1, 1, 1, 2, YoloLayout.ClassActivation.SOFTMAX);
        YoloLoss loss = new YoloLoss(layout, YoloLoss.Weights.DEFAULT, YoloLoss.Objectness.BCE);
        double[] g = new double[7];
        assertEquals(0.5 * Math.log(2), loss.compute(new double[7], new double[7], 1, g), 1e-12);
        assertEquals(0.25, g[YoloLayout.PC], 1e-12);
        // responsible slot with raw pc = -30: gradient stays about -1 (squared error's would be ~ -2e-13)
        double[] raw = new double[7];
        raw[YoloLayout.PC] = -30;
        double[] y = {1, 0.5, 0.5, 0, 0, 1, 0};
        loss.compute(raw, y, 1, g);
        assertEquals(-1, g[YoloLayout.PC], 1e-9);
        new YoloLoss(layout, YoloLoss.Weights.DEFAULT).compute(raw, y, 1, g);
        assertTrue(Math.abs(g[YoloLayout.PC]) < 1e-10);
    }

    @Test
    void floatApiAgreesWithDoubleCore() {
        YoloLayout layout = new YoloLayout(2, 2, 2, 3, YoloLayout.ClassActivation.SOFTMAX);
        YoloLoss loss = new YoloLoss(layout, YoloLoss.Weights.DEFAULT);
        Random rnd = new Random(5);
        float[] raw = new float[layout.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) rnd.nextGaussian();
        }
        float[] target = new YoloEncoder(layout, ANCHORS, NAMES)
                .encode(List.of(new Annotation("b", new Box(10, 10, 40, 70))), 100, 100).values();
        YoloLoss.Result r = loss.compute(raw, target, 1);
        double[] g = new double[raw.length];
        double want = loss.compute(toDouble(raw), toDouble(target), 1, g);
        Tolerance.FLOAT.assertClose(new double[] {r.loss()}, new double[] {want}, "loss");
        Tolerance.FLOAT.assertClose(toDouble(r.gradient()), g, "gradient");
        assertThrows(IllegalArgumentException.class, () -> loss.compute(raw, target, 2));
    }

    /** Central differences in double on a 2-image batch with random raw outputs and real targets. */
    private static void gradientCheck(YoloLayout.ClassActivation act) {
        gradientCheck(act, YoloLoss.Objectness.SQUARED);
    }

    private static void gradientCheck(YoloLayout.ClassActivation act, YoloLoss.Objectness objectness) {
        YoloLayout layout = new YoloLayout(2, 3, 2, 3, act);
        YoloLoss loss = new YoloLoss(layout, new YoloLoss.Weights(5, 1.5, 0.5, 2), objectness);
        YoloEncoder enc = new YoloEncoder(layout, ANCHORS, NAMES);
        float[] t0 = enc.encode(List.of(new Annotation("a", new Box(5, 5, 40, 90)),
                new Annotation("c", new Box(200, 20, 290, 60))), 300, 200).values();
        float[] t1 = enc.encode(List.of(new Annotation("b", new Box(100, 100, 180, 190))), 300, 200).values();
        double[] target = new double[2 * layout.size()];
        for (int i = 0; i < layout.size(); i++) {
            target[i] = t0[i];
            target[layout.size() + i] = t1[i];
        }
        Random rnd = new Random(11);
        double[] raw = new double[target.length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = rnd.nextGaussian() * 1.5;
        }
        double[] analytic = new double[raw.length];
        loss.compute(raw, target, 2, analytic);
        double[] numeric = new double[raw.length];
        double h = 1e-5;
        for (int i = 0; i < raw.length; i++) {
            double keep = raw[i];
            raw[i] = keep + h;
            double up = loss.compute(raw, target, 2, null);
            raw[i] = keep - h;
            double down = loss.compute(raw, target, 2, null);
            raw[i] = keep;
            numeric[i] = (up - down) / (2 * h);
        }
        Tolerance.GRADIENT.assertClose(analytic, numeric, "yolo loss gradient (" + act + ", " + objectness + ")");
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
