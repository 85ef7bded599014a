package dev.clpipe.detect;

/**
 * The YOLO training loss and its gradient with respect to the raw head outputs, plain Java (the
 * reference twin for a later OpenCL kernel). Inputs are a batch of raw outputs and a batch of
 * {@link YoloEncoder} targets, both {@code batch * layout.size()} floats. Per slot, with
 * {@code s = sigmoid}, {@code t} the raw outputs and {@code y} the target:
 *
 * <pre>
 *   y_pc = 1 (responsible slot):
 *     lambdaObj   * (s(t_pc) - 1)^2
 *   + lambdaCoord * [ (s(t_bx) - y_bx)^2 + (s(t_by) - y_by)^2 + (t_bh - y_bh)^2 + (t_bw - y_bw)^2 ]
 *   + lambdaClass * softmax:  -sum_c y_c log softmax(t)_c
 *                   sigmoid:  sum_c BCE(s(t_c), y_c)
 *   y_pc = 0:
 *     lambdaNoObj * s(t_pc)^2
 * </pre>
 *
 * summed over slots and divided by the batch size. With {@link Objectness#BCE} (YOLOv3) the two
 * objectness terms are binary cross-entropies instead, {@code lambdaObj * -log s(t_pc)} and
 * {@code lambdaNoObj * -log(1 - s(t_pc))}, whose gradients {@code s - 1} and {@code s} do not vanish
 * when the sigmoid saturates (the squared form's {@code s (1-s)} factor lets a slot pushed to
 * {@code s ~ 0} by the many empty slots barely recover when an object arrives). Gradients: {@code d/dt (s(t)-y)^2 = 2 (s-y) s (1-s)};
 * {@code d/dt (t-y)^2 = 2 (t-y)}; softmax cross-entropy {@code p_c - y_c}; sigmoid BCE {@code s(t_c) - y_c}.
 * Coordinates are regressed in YOLOv2's parametrisation (sigmoid offsets, log-space sizes).
 */
public final class YoloLoss {
    /** Term weights; {@link #DEFAULT} are YOLOv1's 5 and 0.5 for coordinates and empty slots. */
    public record Weights(double coord, double obj, double noObj, double cls) {
        public static final Weights DEFAULT = new Weights(5, 1, 0.5, 1);

        public Weights {
            if (!(coord >= 0 && obj >= 0 && noObj >= 0 && cls >= 0)) {
                throw new IllegalArgumentException("yolo loss weights must be >= 0, got " + coord + ", " + obj + ", " + noObj + ", " + cls);
            }
        }
    }

    /** How the objectness channel is penalised. */
    public enum Objectness {
        /** {@code (s(t) - y)^2}, YOLOv1/v2 and the course. */
        SQUARED,
        /** Binary cross-entropy of {@code s(t)} against y (YOLOv3). */
        BCE
    }

    /** Loss value (mean over the batch) and d loss / d raw output, same length as the output. */
    public record Result(float loss, float[] gradient) {
    }

    private final YoloLayout layout;
    private final Weights weights;
    private final Objectness objectness;

    public YoloLoss(YoloLayout layout, Weights weights) {
        this(layout, weights, Objectness.SQUARED);
    }

    public YoloLoss(YoloLayout layout, Weights weights, Objectness objectness) {
        this.layout = layout;
        this.weights = weights;
        this.objectness = objectness;
    }

    /** Float in and out, accumulated in double. */
    public Result compute(float[] raw, float[] target, int batch) {
        double[] r = new double[raw.length];
        double[] y = new double[target.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = raw[i];
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = target[i];
        }
        double[] g = new double[raw.length];
        double loss = compute(r, y, batch, g);
        float[] gf = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            gf[i] = (float) g[i];
        }
        return new Result((float) loss, gf);
    }

    /** Double-precision core: returns the loss and writes the gradient into {@code grad} (may be null). */
    public double compute(double[] raw, double[] target, int batch, double[] grad) {
        int n = layout.size();
        if (batch < 1 || raw.length != (long) batch * n || target.length != raw.length
                || grad != null && grad.length != raw.length) {
            throw new IllegalArgumentException("yolo loss needs batch * " + n + " values in raw, target and gradient; got batch "
                    + batch + ", raw " + raw.length + ", target " + target.length);
        }
        double loss = 0;
        int ch = layout.channels();
        double[] probs = new double[layout.classes()];
        double[] g = grad != null ? grad : new double[raw.length];
        java.util.Arrays.fill(g, 0);
        for (int s = 0; s < batch * layout.slots(); s++) {
            int b = s * ch;
            double t = raw[b + YoloLayout.PC];
            double pc = YoloLayout.sigmoid(t);
            double dpc = pc * (1 - pc);
            boolean bce = objectness == Objectness.BCE;
            if (target[b + YoloLayout.PC] <= 0) {
                loss += weights.noObj() * (bce ? softplus(t) : pc * pc);
                g[b + YoloLayout.PC] = weights.noObj() * (bce ? pc : 2 * pc * dpc);
                continue;
            }
            loss += weights.obj() * (bce ? softplus(-t) : (pc - 1) * (pc - 1));
            g[b + YoloLayout.PC] = weights.obj() * (bce ? pc - 1 : 2 * (pc - 1) * dpc);
            for (int k : new int[] {YoloLayout.BX, YoloLayout.BY}) {
                double v = YoloLayout.sigmoid(raw[b + k]);
                double e = v - target[b + k];
                loss += weights.coord() * e * e;
                g[b + k] = weights.coord() * 2 * e * v * (1 - v);
            }
            for (int k : new int[] {YoloLayout.BH, YoloLayout.BW}) {
                double e = raw[b + k] - target[b + k];
                loss += weights.coord() * e * e;
                g[b + k] = weights.coord() * 2 * e;
            }
            loss += weights.cls() * classLoss(raw, target, b, probs, g);
        }
        for (int i = 0; i < g.length; i++) {
            g[i] /= batch;
        }
        return loss / batch;
    }

    /** log(1 + e^t), finite for large |t|: BCE(s(t), 0) = softplus(t), BCE(s(t), 1) = softplus(-t). */
    private static double softplus(double t) {
        return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
    }

    public Objectness objectness() {
        return objectness;
    }

    public Weights weights() {
        return weights;
    }

    /** Class term of one slot; writes its (unweighted-by-batch) gradient. */
    private double classLoss(double[] raw, double[] target, int b, double[] probs, double[] g) {
        int c0 = b + YoloLayout.CLASS0;
        double loss = 0;
        if (layout.classActivation() == YoloLayout.ClassActivation.SOFTMAX) {
            layout.classProbabilities(raw, b, probs);
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < probs.length; c++) {
                max = Math.max(max, raw[c0 + c]);
            }
            double sum = 0;
            for (int c = 0; c < probs.length; c++) {
                sum += Math.exp(raw[c0 + c] - max);
            }
            double logSum = max + Math.log(sum);
            double sumY = 0;
            for (int c = 0; c < probs.length; c++) {
                sumY += target[c0 + c];
            }
            for (int c = 0; c < probs.length; c++) {
                double y = target[c0 + c];
                loss -= y * (raw[c0 + c] - logSum);
                g[c0 + c] = weights.cls() * (probs[c] * sumY - y); // p - y for a one-hot target
            }
            return loss;
        }
        for (int c = 0; c < probs.length; c++) {
            double t = raw[c0 + c];
            double y = target[c0 + c];
            // BCE(sigmoid(t), y) = softplus(t) - y t, written to stay finite for large |t|
            loss += Math.max(t, 0) - y * t + Math.log1p(Math.exp(-Math.abs(t)));
            g[c0 + c] = weights.cls() * (YoloLayout.sigmoid(t) - y);
        }
        return loss;
    }
}
