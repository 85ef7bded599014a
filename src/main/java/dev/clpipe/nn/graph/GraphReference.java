package dev.clpipe.nn.graph;

import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ops.ActivationReference;
import dev.clpipe.nn.ops.BatchNormReference;
import dev.clpipe.nn.ops.ChannelAffineReference;
import dev.clpipe.nn.ops.Conv2dReference;
import dev.clpipe.nn.ops.Conv2dShape;
import dev.clpipe.nn.ops.ConvTransposeReference;
import dev.clpipe.nn.ops.Pool2dNhwcReference;
import dev.clpipe.nn.ops.UpsampleReference;
import dev.clpipe.nn.ops.ZeroPadNhwcReference;
import java.util.List;

/**
 * Plain-Java evaluation of a {@link Graph} from the ops' reference twins (convolutions and
 * pooling accumulate in double): the definition {@link DeviceGraph} is tested against. Slow;
 * for tests and small graphs.
 */
public final class GraphReference {
    private GraphReference() {}

    /** The outputs for {@code batch} NHWC samples in {@code input}, in {@link Graph#outputs()} order. */
    public static float[][] run(Graph graph, float[] input, int batch) {
        List<Node> nodes = graph.nodes();
        if (input.length != (long) batch * graph.inputDims().size()) {
            throw new IllegalArgumentException(input.length + " input floats for " + batch + " samples of " + graph.inputDims());
        }
        float[][] values = new float[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) values[i] = evaluate(nodes.get(i), values, input, batch);
        float[][] out = new float[graph.outputs().size()][];
        for (int k = 0; k < out.length; k++) out[k] = values[graph.outputs().get(k)].clone();
        return out;
    }

    private static float[] evaluate(Node node, float[][] v, float[] input, int batch) {
        if (node instanceof Node.Input) return input;
        if (node instanceof Node.Conv c) return Conv2dReference.forward(convShape(c, batch), v[c.input()], c.weights(), c.bias());
        if (node instanceof Node.ConvTranspose t) {
            Shape in = t.in();
            return ConvTransposeReference.forward(t.window(), v[t.input()], batch, in.height(), in.width(), in.channels(), t.out().channels(), t.weights(), t.bias());
        }
        if (node instanceof Node.Resize r) {
            Shape in = r.in();
            return UpsampleReference.forwardNhwc(r.mode(), v[r.input()], batch, in.height(), in.width(), in.channels(),
                    r.out().height(), r.out().width(), r.stepH(), r.stepW());
        }
        if (node instanceof Node.Affine a) return ChannelAffineReference.forward(v[a.input()], a.sub(), a.mul(), a.add());
        if (node instanceof Node.Act a) return toFloat(ActivationReference.forward(a.kind(), a.slope(), toDouble(v[a.input()])));
        if (node instanceof Node.Pool p) {
            return toFloat(Pool2dNhwcReference.forward(p.mode(), toDouble(v[p.input()]), batch,
                    p.in().height(), p.in().width(), p.in().channels(), p.window(), p.countPad()));
        }
        if (node instanceof Node.BatchNorm b) {
            return toFloat(BatchNormReference.forwardInference(toDouble(v[b.input()]), toDouble(b.gamma()), toDouble(b.beta()),
                    toDouble(b.mean()), toDouble(b.var()), b.out().channels(), 1, b.eps()));
        }
        if (node instanceof Node.Dropout d) return v[d.input()];
        if (node instanceof Node.Flatten f) return v[f.input()];
        if (node instanceof Node.Sum s) return sum(s, v);
        if (node instanceof Node.Dense d) return dense(d, v[d.input()], batch);
        if (node instanceof Node.GlobalAvgPool g) return globalAverage(v[g.input()], batch, g.in());
        if (node instanceof Node.Concat c) return concat(c, v, batch);
        if (node instanceof Node.Softmax s) return softmax(v[s.input()], s.out().channels());
        if (node instanceof Node.ZeroPad z) {
            return ZeroPadNhwcReference.forward(v[z.input()], batch, z.in().height(), z.in().width(), z.in().channels(), z.pads());
        }
        throw new IllegalArgumentException("unknown node " + node);
    }

    static Conv2dShape convShape(Node.Conv c, int batch) {
        int[] p = c.pads();
        return Conv2dShape.input(batch, c.in().height(), c.in().width(), c.in().channels()).output(c.out().channels())
                .kernel(c.kernelH(), c.kernelW()).stride(c.strideH(), c.strideW()).padding(p[0], p[1], p[2], p[3])
                .groups(c.groups()).build();
    }

    private static float[] sum(Node.Sum s, float[][] v) {
        double[] acc = toDouble(v[s.inputs().get(0)]);
        for (int k = 1; k < s.inputs().size(); k++) {
            float[] x = v[s.inputs().get(k)];
            for (int i = 0; i < acc.length; i++) acc[i] += x[i];
        }
        return toFloat(acc);
    }

    private static float[] concat(Node.Concat c, float[][] v, int batch) {
        int total = c.out().channels(), pixels = batch * c.out().pixels();
        float[] y = new float[pixels * total];
        int offset = 0;
        for (int k = 0; k < c.inputs().size(); k++) {
            float[] x = v[c.inputs().get(k)];
            int part = c.ins().get(k).channels();
            for (int p = 0; p < pixels; p++) System.arraycopy(x, p * part, y, p * total + offset, part);
            offset += part;
        }
        return y;
    }

    /** Row-wise softmax over rows of {@code classes} floats, max-shifted, in double precision. */
    static float[] softmax(float[] x, int classes) {
        float[] y = new float[x.length];
        for (int r = 0; r < x.length / classes; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int k = 0; k < classes; k++) max = Math.max(max, x[r * classes + k]);
            for (int k = 0; k < classes; k++) sum += Math.exp(x[r * classes + k] - max);
            for (int k = 0; k < classes; k++) y[r * classes + k] = (float) (Math.exp(x[r * classes + k] - max) / sum);
        }
        return y;
    }

    private static float[] dense(Node.Dense d, float[] x, int batch) {
        int in = d.in().size(), out = d.out().channels();
        float[] y = new float[batch * out];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                double acc = d.bias() == null ? 0 : d.bias()[o];
                for (int i = 0; i < in; i++) acc += (double) x[b * in + i] * d.weights()[i * out + o];
                y[b * out + o] = (float) acc;
            }
        }
        return y;
    }

    private static float[] globalAverage(float[] x, int batch, Shape in) {
        int c = in.channels(), pixels = in.pixels();
        float[] y = new float[batch * c];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < c; k++) {
                double acc = 0;
                for (int p = 0; p < pixels; p++) acc += x[(b * pixels + p) * c + k];
                y[b * c + k] = (float) (acc / pixels);
            }
        }
        return y;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }
}
