package dev.clpipe.nn;

import dev.clpipe.nn.ops.ActivationReference;
import dev.clpipe.nn.ops.BatchNormReference;
import dev.clpipe.nn.ops.Conv2dReference;
import dev.clpipe.nn.ops.Conv2dShape;
import dev.clpipe.nn.ops.DropoutReference;
import dev.clpipe.nn.ops.Dropout;
import dev.clpipe.nn.ops.SoftmaxCrossEntropyReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain-Java double-precision twin of {@link Network} (training mode): the same layers, layouts
 * (NHWC activations, HWIO conv weights, [out, in] dense weights) and parameter names, written as
 * straightforward loops. Tests compare the device network with it and check its gradients by
 * finite differences.
 */
final class ReferenceNetwork {
    private final ModelSpec spec;
    private final int batch;
    private final long seed;
    final Map<String, double[]> params = new LinkedHashMap<>();
    private double[][] acts;
    private final Map<Integer, int[]> argmax = new LinkedHashMap<>();
    private final Map<Integer, double[][]> bodyActs = new LinkedHashMap<>();
    private final Map<Integer, double[][][]> branchActs = new LinkedHashMap<>();

    ReferenceNetwork(ModelSpec spec, int batch, long seed) {
        this.spec = spec;
        this.batch = batch;
        this.seed = seed;
    }

    /** Output of the network for x (NHWC [batch][input]); keeps activations for backward. */
    double[] forward(double[] x, long step) {
        List<LayerSpec> layers = spec.layers();
        acts = new double[layers.size() + 1][];
        acts[0] = x;
        for (int i = 0; i < layers.size(); i++) acts[i + 1] = forward(i, layers.get(i), spec.inputOf(i), acts[i], step);
        return acts[layers.size()];
    }

    double loss(double[] x, int[] labels, long step) {
        return SoftmaxCrossEntropyReference.loss(forward(x, step), labels, batch, spec.output().size());
    }

    /** Gradients of the mean cross-entropy by parameter name, plus "input". Call after forward. */
    Map<String, double[]> backward(int[] labels, long step) {
        double[] dy = SoftmaxCrossEntropyReference.dLogits(acts[acts.length - 1], labels, batch, spec.output().size());
        return backwardFrom(dy, step);
    }

    /** Gradients given dL/d(output) {@code dy}. */
    Map<String, double[]> backwardFrom(double[] dy, long step) {
        Map<String, double[]> grads = new LinkedHashMap<>();
        List<LayerSpec> layers = spec.layers();
        for (int i = layers.size() - 1; i >= 0; i--) dy = backward(i, layers.get(i), spec.inputOf(i), acts[i], acts[i + 1], dy, grads, step);
        grads.put("input", dy);
        return grads;
    }

    private Conv2dShape convShape(LayerSpec.Conv c, Shape in) {
        return Conv2dShape.input(batch, in.height(), in.width(), in.channels()).output(c.filters()).kernel(c.kernel())
                .stride(c.stride()).padding(c.pad()).build();
    }

    private double[] forward(int index, LayerSpec l, Shape in, double[] x, long step) {
        Shape out = l.output(in);
        if (l instanceof LayerSpec.Concat c) {
            int pixels = batch * out.height() * out.width();
            double[] y = new double[pixels * out.channels()];
            double[][][] all = new double[c.branches().size()][][];
            int offset = 0;
            for (int b = 0; b < all.length; b++) {
                List<LayerSpec> branch = c.branches().get(b);
                double[][] a = new double[branch.size() + 1][];
                a[0] = x;
                Shape s = in;
                for (int j = 0; j < branch.size(); j++) {
                    a[j + 1] = forward(Network.bodyIndex(index, 32 * b + j), branch.get(j), s, a[j], step);
                    s = branch.get(j).output(s);
                }
                all[b] = a;
                for (int p = 0; p < pixels; p++) {
                    for (int k = 0; k < s.channels(); k++) y[p * out.channels() + offset + k] = a[a.length - 1][p * s.channels() + k];
                }
                offset += s.channels();
            }
            branchActs.put(index, all);
            return y;
        }
        if (l instanceof LayerSpec.Residual r) {
            double[][] a = new double[r.body().size() + 1][];
            a[0] = x;
            Shape s = in;
            for (int j = 0; j < r.body().size(); j++) {
                a[j + 1] = forward(Network.bodyIndex(index, j), r.body().get(j), s, a[j], step);
                s = r.body().get(j).output(s);
            }
            bodyActs.put(index, a);
            double[] y = new double[x.length];
            for (int i = 0; i < y.length; i++) y[i] = x[i] + a[a.length - 1][i];
            return y;
        }
        if (l instanceof LayerSpec.Conv c) return Conv2dReference.forward(convShape(c, in), x, params.get(c.name() + ".weight"), params.get(c.name() + ".bias"));
        if (l instanceof LayerSpec.Dense d) {
            double[] w = params.get(d.name() + ".weight"), b = params.get(d.name() + ".bias");
            int fin = in.size();
            double[] y = new double[batch * d.units()];
            for (int n = 0; n < batch; n++) {
                for (int o = 0; o < d.units(); o++) {
                    double s = b[o];
                    for (int k = 0; k < fin; k++) s += x[n * fin + k] * w[o * fin + k];
                    y[n * d.units() + o] = s;
                }
            }
            return y;
        }
        if (l instanceof LayerSpec.Act a) return ActivationReference.forward(a.kind(), dev.clpipe.nn.ops.Activation.PYTORCH_LEAKY_SLOPE, x);
        if (l instanceof LayerSpec.Flatten) return x;
        if (l instanceof LayerSpec.Dropout d) {
            boolean[] keep = DropoutReference.mask(x.length, d.p(), seed, step << 16 | index);
            double scale = Dropout.scale(d.p());
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) y[i] = keep[i] ? x[i] * scale : 0;
            return y;
        }
        if (l instanceof LayerSpec.BatchNorm b) {
            return BatchNormReference.forwardTraining(x, params.get(b.name() + ".weight"), params.get(b.name() + ".bias"),
                    batch * in.height() * in.width(), in.channels(), 1, b.eps());
        }
        LayerSpec.Pool p = (LayerSpec.Pool) l;
        double[] y = new double[batch * out.size()];
        int[] arg = new int[y.length];
        for (int n = 0; n < batch; n++) {
            for (int oy = 0; oy < out.height(); oy++) {
                for (int ox = 0; ox < out.width(); ox++) {
                    for (int c = 0; c < in.channels(); c++) {
                        double best = Double.NEGATIVE_INFINITY, sum = 0;
                        int where = -1;
                        for (int ky = 0; ky < p.size(); ky++) {
                            for (int kx = 0; kx < p.size(); kx++) {
                                int iy = oy * p.stride() - p.pad() + ky, ix = ox * p.stride() - p.pad() + kx;
                                if (iy < 0 || iy >= in.height() || ix < 0 || ix >= in.width()) continue;
                                int xi = ((n * in.height() + iy) * in.width() + ix) * in.channels() + c;
                                sum += x[xi];
                                if (where < 0 || x[xi] > best) {
                                    best = x[xi];
                                    where = xi;
                                }
                            }
                        }
                        int yi = ((n * out.height() + oy) * out.width() + ox) * in.channels() + c;
                        y[yi] = p.max() ? best : sum / (p.size() * p.size());
                        arg[yi] = where;
                    }
                }
            }
        }
        argmax.put(index, arg);
        return y;
    }

    private double[] backward(int index, LayerSpec l, Shape in, double[] x, double[] y, double[] dy, Map<String, double[]> grads, long step) {
        if (l instanceof LayerSpec.Concat c) {
            Shape out = c.output(in);
            int pixels = batch * out.height() * out.width();
            double[] dx = new double[x.length];
            int offset = 0;
            for (int b = 0; b < c.branches().size(); b++) {
                List<LayerSpec> branch = c.branches().get(b);
                double[][] a = branchActs.get(index)[b];
                Shape[] shapes = new Shape[branch.size()];
                Shape s = in;
                for (int j = 0; j < shapes.length; j++) {
                    shapes[j] = s;
                    s = branch.get(j).output(s);
                }
                double[] g = new double[pixels * s.channels()];
                for (int p = 0; p < pixels; p++) {
                    for (int k = 0; k < s.channels(); k++) g[p * s.channels() + k] = dy[p * out.channels() + offset + k];
                }
                offset += s.channels();
                for (int j = shapes.length - 1; j >= 0; j--) g = backward(Network.bodyIndex(index, 32 * b + j), branch.get(j), shapes[j], a[j], a[j + 1], g, grads, step);
                for (int i = 0; i < dx.length; i++) dx[i] += g[i];
            }
            return dx;
        }
        if (l instanceof LayerSpec.Residual r) {
            double[][] a = bodyActs.get(index);
            Shape[] shapes = new Shape[r.body().size()];
            Shape s = in;
            for (int j = 0; j < shapes.length; j++) {
                shapes[j] = s;
                s = r.body().get(j).output(s);
            }
            double[] g = dy;
            for (int j = shapes.length - 1; j >= 0; j--) g = backward(Network.bodyIndex(index, j), r.body().get(j), shapes[j], a[j], a[j + 1], g, grads, step);
            double[] dx = new double[dy.length];
            for (int i = 0; i < dx.length; i++) dx[i] = dy[i] + g[i];
            return dx;
        }
        if (l instanceof LayerSpec.Conv c) {
            Conv2dShape s = convShape(c, in);
            grads.put(c.name() + ".weight", Conv2dReference.backwardWeights(s, x, dy));
            grads.put(c.name() + ".bias", Conv2dReference.backwardBias(s, dy));
            return Conv2dReference.backwardData(s, dy, params.get(c.name() + ".weight"));
        }
        if (l instanceof LayerSpec.Dense d) {
            double[] w = params.get(d.name() + ".weight");
            int fin = in.size(), u = d.units();
            double[] dw = new double[u * fin], db = new double[u], dx = new double[batch * fin];
            for (int n = 0; n < batch; n++) {
                for (int o = 0; o < u; o++) {
                    double g = dy[n * u + o];
                    db[o] += g;
                    for (int k = 0; k < fin; k++) {
                        dw[o * fin + k] += g * x[n * fin + k];
                        dx[n * fin + k] += g * w[o * fin + k];
                    }
                }
            }
            grads.put(d.name() + ".weight", dw);
            grads.put(d.name() + ".bias", db);
            return dx;
        }
        if (l instanceof LayerSpec.Act a) return ActivationReference.backward(a.kind(), dev.clpipe.nn.ops.Activation.PYTORCH_LEAKY_SLOPE, x, y, dy);
        if (l instanceof LayerSpec.Flatten) return dy;
        if (l instanceof LayerSpec.Dropout d) {
            boolean[] keep = DropoutReference.mask(x.length, d.p(), seed, step << 16 | index);
            double scale = Dropout.scale(d.p());
            double[] dx = new double[x.length];
            for (int i = 0; i < x.length; i++) dx[i] = keep[i] ? dy[i] * scale : 0;
            return dx;
        }
        if (l instanceof LayerSpec.BatchNorm b) {
            double[][] g = BatchNormReference.backward(x, dy, params.get(b.name() + ".weight"), batch * in.height() * in.width(), in.channels(), 1, b.eps());
            grads.put(b.name() + ".weight", g[1]);
            grads.put(b.name() + ".bias", g[2]);
            return g[0];
        }
        LayerSpec.Pool p = (LayerSpec.Pool) l;
        double[] dx = new double[x.length];
        if (p.max()) {
            int[] arg = argmax.get(index);
            for (int i = 0; i < dy.length; i++) dx[arg[i]] += dy[i];
            return dx;
        }
        Shape out = l.output(in);
        for (int n = 0; n < batch; n++) {
            for (int oy = 0; oy < out.height(); oy++) {
                for (int ox = 0; ox < out.width(); ox++) {
                    for (int c = 0; c < in.channels(); c++) {
                        double g = dy[((n * out.height() + oy) * out.width() + ox) * in.channels() + c] / (p.size() * p.size());
                        for (int ky = 0; ky < p.size(); ky++) {
                            for (int kx = 0; kx < p.size(); kx++) {
                                int iy = oy * p.stride() - p.pad() + ky, ix = ox * p.stride() - p.pad() + kx;
                                if (iy < 0 || iy >= in.height() || ix < 0 || ix >= in.width()) continue;
                                dx[((n * in.height() + iy) * in.width() + ix) * in.channels() + c] += g;
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }
}
