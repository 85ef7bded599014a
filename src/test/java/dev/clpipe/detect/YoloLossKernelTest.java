package dev.clpipe.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** opencl/yolo.cl against its twin {@link YoloLoss}, over many shapes, and by finite differences. */
@Tag("kernel")
class YoloLossKernelTest {
    private static final YoloLoss.Weights WEIGHTS = new YoloLoss.Weights(5, 1.5, 0.5, 2);

    /** {gridH, gridW, anchors, classes, batch}. */
    private static int[][] shapes() {
        if (TestDevices.underOclgrind()) {
            return new int[][] {{1, 1, 1, 1, 1}, {2, 3, 2, 3, 2}};
        }
        return new int[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 2, 1}, {2, 3, 2, 3, 2}, {3, 5, 3, 10, 1}, {7, 7, 5, 10, 3},
                {12, 12, 3, 10, 8}, {5, 1, 4, 7, 5}, {13, 13, 5, 20, 2}};
    }

    @Test
    void kernelMatchesTwinOverShapes() {
        ClContext ctx = TestDevices.context();
        Random rnd = new Random(31);
        for (YoloLoss.Objectness obj : YoloLoss.Objectness.values()) {
          for (YoloLayout.ClassActivation act : YoloLayout.ClassActivation.values()) {
            for (int[] s : shapes()) {
                YoloLayout layout = new YoloLayout(s[0], s[1], s[2], s[3], act);
                int batch = s[4];
                float[] target = targets(layout, batch, rnd);
                float[] raw = new float[target.length];
                for (int i = 0; i < raw.length; i++) {
                    raw[i] = (float) (rnd.nextGaussian() * 3);
                }
                YoloLoss.Result want = new YoloLoss(layout, WEIGHTS, obj).compute(raw, target, batch);
                float[] grad = new float[raw.length];
                double loss = run(ctx, layout, obj, batch, raw, target, grad);
                String what = obj + " " + act + " " + java.util.Arrays.toString(s);
                assertTrue(Tolerance.FLOAT.accepts(loss, want.loss()), what + ": loss " + loss + " vs " + want.loss());
                Tolerance.FLOAT.assertClose(grad, want.gradient(), what + ": gradient");
            }
          }
        }
    }

    /** Central differences of the kernel's own (float) loss, on the entries of responsible slots and a few empty ones. */
    @Test
    void kernelGradientMatchesFiniteDifferences() {
        ClContext ctx = TestDevices.context();
        for (YoloLoss.Objectness obj : YoloLoss.Objectness.values()) {
          for (YoloLayout.ClassActivation act : YoloLayout.ClassActivation.values()) {
            YoloLayout layout = new YoloLayout(2, 2, 2, 3, act);
            Random rnd = new Random(47);
            int batch = 2;
            float[] target = targets(layout, batch, rnd);
            float[] raw = new float[target.length];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = (float) rnd.nextGaussian();
            }
            float[] analytic = new float[raw.length];
            run(ctx, layout, obj, batch, raw, target, analytic);
            float h = 1e-2f;
            List<Integer> checked = new ArrayList<>();
            for (int i = 0; i < raw.length; i++) {
                int slot = i / layout.channels();
                boolean cheap = !TestDevices.underOclgrind() || checked.size() < 12; // Oclgrind: a sample is enough
                if (cheap && (target[slot * layout.channels()] > 0 || i % layout.channels() == 0)) {
                    checked.add(i);
                }
            }
            double[] numeric = new double[checked.size()];
            double[] got = new double[checked.size()];
            float[] scratch = new float[raw.length];
            for (int j = 0; j < checked.size(); j++) {
                int i = checked.get(j);
                float keep = raw[i];
                raw[i] = keep + h;
                double up = run(ctx, layout, obj, batch, raw, target, scratch);
                raw[i] = keep - h;
                double down = run(ctx, layout, obj, batch, raw, target, scratch);
                raw[i] = keep;
                numeric[j] = (up - down) / (2 * h);
                got[j] = analytic[i];
            }
            new Tolerance("yolo-fd-float", 2e-2, 2e-3).assertClose(got, numeric, "yolo kernel gradient (" + obj + ", " + act + ")");
          }
        }
    }

    @Test
    void totalsAccumulateAndFlagNonFiniteSteps() {
        ClContext ctx = TestDevices.context();
        YoloLayout layout = new YoloLayout(2, 2, 1, 2, YoloLayout.ClassActivation.SOFTMAX);
        try (YoloLossKernel k = new YoloLossKernel(ctx, layout, WEIGHTS, 1);
             ClBuffer raw = ctx.buffer(new float[layout.size()]);
             ClBuffer target = ctx.buffer(new float[layout.size()]);
             ClBuffer grad = ctx.buffer((long) layout.size() * Float.BYTES)) {
            k.lossAndGradient(raw, target, grad, 0);
            k.lossAndGradient(raw, target, grad, 1);
            YoloLossKernel.Totals t = k.read();
            assertEquals(2, t.batches());
            assertEquals(2 * 4 * 0.5 * 0.25, t.lossSum(), 1e-6); // 4 empty slots, noObj 0.5 * sigmoid(0)^2
            assertEquals(-1, t.firstBadStep());
            float[] bad = new float[layout.size()];
            bad[0] = Float.NaN;
            raw.write(ctx.queue(), bad);
            k.lossAndGradient(raw, target, grad, 7);
            k.lossAndGradient(raw, target, grad, 8);
            assertEquals(7, k.read().firstBadStep());
        }
    }

    private static double run(ClContext ctx, YoloLayout layout, YoloLoss.Objectness obj, int batch, float[] raw, float[] target, float[] gradOut) {
        try (YoloLossKernel k = new YoloLossKernel(ctx, layout, WEIGHTS, obj, batch);
             ClBuffer r = ctx.buffer(raw);
             ClBuffer t = ctx.buffer(target);
             ClBuffer g = ctx.buffer((long) raw.length * Float.BYTES)) {
            k.lossAndGradient(r, t, g, 0);
            g.read(ctx.queue(), gradOut);
            return k.read().lossSum();
        }
    }

    /** Encoded targets of random boxes (1..4 per image) on a 100x80 image, batch blocks back to back. */
    private static float[] targets(YoloLayout layout, int batch, Random rnd) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < layout.classes(); c++) {
            names.add("c" + c);
        }
        List<Anchor> anchors = new ArrayList<>();
        for (int a = 0; a < layout.anchors(); a++) {
            anchors.add(new Anchor(0.5 + a, 1.5 - a * 0.2));
        }
        YoloEncoder enc = new YoloEncoder(layout, new AnchorSet(anchors, AnchorSet.Unit.CELLS), names);
        float[] all = new float[batch * layout.size()];
        for (int b = 0; b < batch; b++) {
            List<Annotation> objects = new ArrayList<>();
            int n = 1 + rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                double x = rnd.nextDouble() * 80, y = rnd.nextDouble() * 60;
                objects.add(new Annotation(names.get(rnd.nextInt(names.size())), new Box(x, y, x + 5 + rnd.nextDouble() * 15, y + 5 + rnd.nextDouble() * 15)));
            }
            float[] t = enc.encode(objects, 100, 80).values();
            System.arraycopy(t, 0, all, b * layout.size(), t.length);
        }
        return all;
    }
}
