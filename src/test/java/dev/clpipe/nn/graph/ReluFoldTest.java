package dev.clpipe.nn.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClQueue;
import dev.clpipe.nn.Models;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.ops.Pool2d;
import dev.clpipe.nn.ops.SoftmaxCrossEntropy;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A ReLU folded into the max pool after it ({@link ReluFolds}): LeNet-5 trains to the same weights,
 * bit for bit, as the unfolded plan; the folded ReLU's activation is still there on demand (the
 * frozen-layer and diagnostics reads) and inference with the fold matches the twin; and only ReLUs whose
 * single reader is a max pool, that are no output and not tapped, are folded.
 */
class ReluFoldTest {
    static final int BATCH = 12, CLASSES = 10;

    @Test
    void lenetTrainsToTheUnfoldedWeightsBitForBit() {
        ClContext cl = TestDevices.context();
        ClQueue q = cl.queue();
        Graph graph = SpecGraph.untrained(Models.lenet5());
        Random r = new Random(4);
        try (TrainingPlan folded = new TrainingPlan(cl, graph, BATCH, 3, false); TrainingPlan plain = TrainingPlan.unfolded(cl, graph, BATCH, 3, false);
                SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(cl); ClBuffer labels = cl.buffer((long) BATCH * Integer.BYTES);
                ClBuffer rowLoss = cl.buffer((long) BATCH * Float.BYTES)) {
            assertEquals(List.of("relu1", "relu2"), folded.foldedRelus());
            assertEquals(List.of(), plain.foldedRelus());
            folded.initialise(11);
            plain.initialise(11);
            for (int step = 0; step < 4; step++) {
                float[] x = new float[BATCH * 28 * 28];
                for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                int[] y = new int[BATCH];
                for (int i = 0; i < BATCH; i++) y[i] = r.nextInt(CLASSES);
                labels.write(q, y);
                for (TrainingPlan plan : List.of(folded, plain)) {
                    plan.input().write(q, x);
                    plan.forward(true, step);
                    loss.rowLosses(plan.output(), labels, plan.outputGradient(), rowLoss, BATCH, CLASSES);
                    plan.backward(step);
                    sgd(plan, q, 0.05f);
                }
                Tolerance.assertSameBits(folded.output().readFloats(q), plain.output().readFloats(q), "logits at step " + step);
            }
            for (int k = 0; k < plain.params().size(); k++) {
                Param p = plain.params().get(k);
                Tolerance.assertSameBits(folded.params().get(k).value().readFloats(q), p.value().readFloats(q), p.name() + " after 4 steps");
            }
            int relu1 = graph.indexOf("relu1");
            Tolerance.assertSameBits(folded.value(relu1).readFloats(q), plain.value(relu1).readFloats(q), "relu1's activation on demand");
            assertNull(folded.gradient(relu1), "a folded ReLU's gradient is not computed");
            for (TrainingPlan plan : List.of(folded, plain)) { // frozen up to the ReLU: its output is the features
                plan.freeze(relu1 + 1);
                plan.forwardFrozen();
            }
            Tolerance.assertSameBits(folded.value(relu1).readFloats(q), plain.value(relu1).readFloats(q), "relu1 as the frozen layers' output");

            Graph trained = trainedGraph(folded, q);
            try (DeviceGraph inference = new DeviceGraph(cl, trained)) {
                float[] x = new float[BATCH * 28 * 28];
                for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                Tolerance.FLOAT.assertClose(inference.run(x, BATCH)[0], GraphReference.run(trained, x, BATCH)[0], "inference with the fold vs the twin");
            }
        }
    }

    /** w -= rate * grad on the host, in float: the same arithmetic for both plans. */
    private static void sgd(TrainingPlan plan, ClQueue q, float rate) {
        for (Param p : plan.trainable()) {
            float[] w = p.value().readFloats(q), g = p.grad().readFloats(q);
            for (int i = 0; i < w.length; i++) w[i] -= rate * g[i];
            p.value().write(q, w);
        }
    }

    private static Graph trainedGraph(TrainingPlan plan, ClQueue q) {
        java.util.Map<String, float[]> values = new java.util.LinkedHashMap<>();
        for (Param p : plan.params()) values.put(p.name(), p.value().readFloats(q));
        return SpecGraph.compile(Models.lenet5(), values);
    }

    @Test
    void onlyReLUsReadOnceByAMaxPoolAndNotKeptAreFolded() {
        Random r = new Random(2);
        GraphBuilder g = Graph.builder();
        Value in = g.input(8, 8, 3);
        Value c = g.conv("conv", in, random(r, 3 * 3 * 3 * 4), random(r, 4), 3, 3, 4, 1, Padding.SAME, 1);
        Value folded = g.relu("folded", c);
        Value p1 = g.maxPool("p1", folded, 2, 2, Padding.VALID);
        Value twice = g.relu("twice", p1);                 // read by a pool and by the sum
        Value p2 = g.maxPool("p2", twice, 1, 1, Padding.VALID);
        Value sum = g.add("sum", p2, twice);
        Value avg = g.relu("avg", sum);                    // read by an average pool
        Value p3 = g.avgPool("p3", avg, 2, 2, Padding.VALID);
        Value tapped = g.relu("tapped", p3);               // tapped below
        Value p4 = g.pool("p4", tapped, Pool2d.Mode.MAX, 2, 2, 2, 2, Padding.VALID);
        Value out = g.relu("out", p4);                     // the output
        Graph graph = g.build(out);
        int[] into = ReluFolds.find(graph, Set.of(tapped.node()));
        int[] want = new int[graph.nodes().size()];
        want[folded.node()] = p1.node();
        assertArrayEquals(want, into);
        want[tapped.node()] = p4.node();
        assertArrayEquals(want, ReluFolds.find(graph, Set.of()));
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian() * 0.3f;
        return a;
    }
}
