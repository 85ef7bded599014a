package dev.clpipe.nn.ops;

import static dev.clpipe.nn.ops.OpTesting.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * triplet.cl against its twin: normalisation, distances, mining (indices exactly, given the
 * kernel's own distances so float rounding cannot flip a near-tie), loss and gradient, over
 * P x K batches, odd sizes, padding rows, batch 1 and one-class batches; the twin's gradients
 * against finite differences.
 */
class TripletLossTest {
    /** One batch: N rows of D values, labels (P classes x K samples, shuffled, optionally padded). */
    record Case(int classes, int perClass, int padding, int dim, double margin) {
        int n() {
            return classes * perClass + padding;
        }

        int[] labels(Random r) {
            int[] l = new int[n()];
            for (int i = 0; i < classes * perClass; i++) l[i] = (i / perClass) * 3 + 1; // labels need not be dense
            for (int i = classes * perClass; i < l.length; i++) l[i] = -1;
            for (int i = l.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1), t = l[i];
                l[i] = l[j];
                l[j] = t;
            }
            return l;
        }
    }

    private static final List<Case> CASES = List.of(
            new Case(3, 2, 0, 4, 0.2), new Case(1, 1, 0, 3, 0.2), new Case(2, 3, 1, 5, 0.5), new Case(1, 4, 0, 8, 0.2),
            new Case(7, 8, 0, 32, 0.2), new Case(5, 3, 2, 17, 1.0), new Case(4, 4, 0, 1, 0.3), new Case(10, 6, 0, 64, 0.2),
            new Case(13, 5, 3, 33, 0.4), new Case(2, 2, 0, 128, 2.5));

    @Test
    void twinGradientMatchesFiniteDifferences() {
        Random r = new Random(31);
        for (Case c : List.of(new Case(3, 2, 0, 4, 0.5), new Case(2, 3, 1, 5, 1.0), new Case(4, 3, 0, 6, 2.0))) {
            int n = c.n(), d = c.dim();
            int[] l = c.labels(r);
            double[] x = toDouble(uniform(r, n * d, -1, 1));
            double[] g = TripletLossReference.gradient(x, l, n, d, c.margin());
            assertTrue(TripletLossReference.loss(x, l, n, d, c.margin()) > 0, "case " + c + " has active triplets");
            checkGradient("triplet " + c, v -> TripletLossReference.loss(v, l, n, d, c.margin()), x, g);
        }
    }

    @Test
    void normalisationGradientMatchesFiniteDifferences() {
        Random r = new Random(32);
        int n = 3, d = 5;
        double[] x = toDouble(uniform(r, n * d, -2, 2));
        double[] w = toDouble(uniform(r, n * d, -1, 1));
        // loss = w . normalize(x): its gradient is normalizeBackward(x, w)
        checkGradient("l2norm", v -> dot(w, TripletLossReference.normalize(v, n, d)), x, TripletLossReference.normalizeBackward(x, w, n, d));
    }

    @Test
    void miningPicksTheClosestNegativeFartherThanThePositiveElseTheFarthest() {
        // one anchor (row 0) with positive row 1 at d=1; negatives at 0.5, 1.5, 1.2, 3.0
        double[] dist = new double[6 * 6];
        double[] fromAnchor = {0, 1.0, 0.5, 1.5, 1.2, 3.0};
        for (int j = 0; j < 6; j++) dist[j] = fromAnchor[j];
        int[] labels = {0, 0, 1, 1, 2, 2};
        TripletLossReference.Mining m = TripletLossReference.mine(dist, labels, 6, 0.5);
        assertEquals(4, m.negative()[1], "semi-hard: 1.2 is the closest negative beyond 1.0");
        assertEquals(1.0 - 1.2 + 0.5, m.pairLoss()[1], 1e-12);
        fromAnchor[1] = 3.5; // now no negative is farther than the positive: take the farthest (3.0)
        for (int j = 0; j < 6; j++) dist[j] = fromAnchor[j];
        m = TripletLossReference.mine(dist, labels, 6, 0.5);
        assertEquals(5, m.negative()[1]);
        assertEquals(3.5 - 3.0 + 0.5, m.pairLoss()[1], 1e-12);
    }

    @Tag("kernel")
    @Test
    void kernelsMatchTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(33);
        for (Case c : cases(4, CASES)) {
            int n = c.n(), d = c.dim();
            int[] labels = c.labels(r);
            float[] x = uniform(r, n * d, -1, 1);
            try (TripletLoss op = new TripletLoss(ctx, n, d, c.margin()); ClBuffer raw = ctx.buffer((long) n * d * 4);
                    ClBuffer lab = ctx.buffer((long) n * 4); ClBuffer dRaw = ctx.buffer((long) n * d * 4)) {
                raw.write(ctx.queue(), x);
                lab.write(ctx.queue(), labels);
                op.forward(raw, lab, 0);
                op.backward(dRaw);
                String what = c.toString();
                double[] e = TripletLossReference.normalize(toDouble(x), n, d);
                Tolerance.FLOAT.assertClose(op.normalized().readFloats(ctx.queue()), toFloat(e), "normalised " + what);
                float[] dist = op.distances().readFloats(ctx.queue());
                Tolerance.FLOAT.assertClose(dist, toFloat(TripletLossReference.squaredDistances(e, n, d)), "distances " + what);

                TripletLossReference.Mining want = TripletLossReference.mine(toDouble(dist), labels, n, c.margin());
                int[] negatives = new int[n * n];
                op.negatives().read(ctx.queue(), negatives);
                assertArrayEquals(want.negative(), negatives, "negatives " + what);
                Tolerance.FLOAT.assertClose(op.pairLosses().readFloats(ctx.queue()), toFloat(want.pairLoss()), "pair losses " + what);
                float[] stats = op.batchStats().readFloats(ctx.queue());
                assertTrue(Tolerance.FLOAT.accepts(stats[0], want.loss()), "loss " + stats[0] + " vs " + want.loss() + " " + what);
                assertEquals(want.pairs(), stats[1], what);
                assertEquals(want.active(), stats[2], what);

                double[] grad = TripletLossReference.normalizeBackward(toDouble(x),
                        TripletLossReference.embeddingGradient(e, want, n, d), n, d);
                Tolerance.FLOAT.assertClose(dRaw.readFloats(ctx.queue()), toFloat(grad), "gradient " + what);
            }
        }
    }

    @Tag("kernel")
    @Test
    void totalsAverageBatchesAndRecordTheFirstNonFiniteStep() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(34);
        Case c = new Case(3, 3, 0, 6, 0.5);
        int n = c.n(), d = c.dim();
        int[] labels = c.labels(r);
        try (TripletLoss op = new TripletLoss(ctx, n, d, c.margin()); ClBuffer raw = ctx.buffer((long) n * d * 4);
                ClBuffer lab = ctx.buffer((long) n * 4)) {
            lab.write(ctx.queue(), labels);
            double sum = 0;
            for (int step = 0; step < 3; step++) {
                float[] x = uniform(r, n * d, -1, 1);
                raw.write(ctx.queue(), x);
                op.forward(raw, lab, step);
                sum += TripletLossReference.loss(toDouble(x), labels, n, d, c.margin());
            }
            TripletLoss.Totals t = op.readTotals();
            assertEquals(3, t.batches());
            assertEquals(-1, t.firstBadStep());
            assertTrue(Tolerance.FLOAT.accepts(t.loss(), sum / 3), t.loss() + " vs " + sum / 3);

            float[] bad = new float[n * d]; // a diverged network: every embedding NaN, so every distance
            java.util.Arrays.fill(bad, Float.NaN);
            raw.write(ctx.queue(), bad);
            op.forward(raw, lab, 7);
            op.forward(raw, lab, 8);
            assertEquals(7, op.readTotals().firstBadStep());
            op.resetTotals();
            assertEquals(0, op.readTotals().batches());
        }
    }

    @Tag("kernel")
    @Test
    void normaliseOnlyTheValidRows() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(35);
        int n = 9, d = 7, rows = 4;
        float[] x = uniform(r, n * d, -3, 3);
        try (TripletLoss op = new TripletLoss(ctx, n, d, 0.2); ClBuffer raw = ctx.buffer((long) n * d * 4);
                ClBuffer out = ctx.buffer((long) n * d * 4)) {
            raw.write(ctx.queue(), x);
            out.fill(ctx.queue(), 5f);
            op.normalize(raw, out, rows);
            float[] got = out.readFloats(ctx.queue());
            float[] want = toFloat(TripletLossReference.normalize(toDouble(java.util.Arrays.copyOf(x, rows * d)), rows, d));
            Tolerance.FLOAT.assertClose(java.util.Arrays.copyOf(got, rows * d), want, "normalised rows");
            for (int i = rows * d; i < n * d; i++) assertEquals(5f, got[i], "row past the valid ones untouched");
        }
    }
}
