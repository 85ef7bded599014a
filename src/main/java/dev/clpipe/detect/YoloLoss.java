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
 * summed over slots and divided by the batch size. Gradients: {@code d/dt (s(t)-y)^2 = 2 (s-y) s (1-s)};
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

    /** Loss value (mean over the batch) and d loss / d raw output, same length as the output. */
    public record Result(float loss, float[] gradient) {
    }

    private final YoloLayout layout;
    private final Weights weights;

    public YoloLoss(YoloLayout layout, Weights weights) {
        this.layout = layout;
        this.weights = weights;
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
            double pc = YoloLayout.sigmoid(raw[b + YoloLayout.PC]);
            double dpc = pc * (1 - pc);
            if (target[b + YoloLayout.PC] <= 0) {
                loss += weights.noObj() * pc * pc;
                g[b + YoloLayout.PC] = weights.noObj() * 2 * pc * dpc;
                continue;
            }
            loss += weights.obj() * (pc - 1) * (pc - 1);
            g[b + YoloLayout.PC] = weights.obj() * 2 * (pc - 1) * dpc;
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
