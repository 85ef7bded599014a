package dev.clpipe.nn.tfjs;

import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.GraphBuilder;
import dev.clpipe.nn.graph.Padding;
import dev.clpipe.nn.graph.Value;
import dev.clpipe.nn.io.NamedTensor;
import dev.clpipe.nn.io.TfjsFormatException;
import dev.clpipe.nn.ops.ZeroPadNhwc;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a TensorFlow.js graph model (NHWC image in, one feature vector out) into a clpipe
 * {@link Graph}, node by node from the requested output back to the single Placeholder. Only
 * nodes the output depends on are imported (age/gender heads beside an embedding are left out).
 *
 * <p>Supported: Conv2D and DepthwiseConv2dNative (plain or fused with BiasAdd and Relu/Relu6),
 * Pad, Relu, Relu6, Add/AddV2/BiasAdd/Sub/Mul with a scalar or per-channel constant (one
 * {@code affine} node), Add/AddV2/Sub of two tensors, Maximum/Minimum with a scalar (via relu:
 * {@code max(x, k) = relu(x - k) + k}; relu-then-min(6) becomes relu6), Abs
 * ({@code relu(x) + relu(-x)}; a PReLU written as {@code relu(x) + a·(x - |x|)} thus imports
 * exactly), Mean over height and width, Reshape/Squeeze to a vector, MatMul/_FusedMatMul (dense),
 * Identity. Anything else is refused naming the file, node and op: the model is not usable
 * (exit 4). The graph's input is 0..255 RGB; {@code inputMean}/{@code inputScale} map it to what
 * the model was trained on ({@code (x - mean) * scale}) before its first node.
 */
public final class TfjsGraphImporter {
    /** An imported value: a graph tensor, or a constant from the weights. */
    private sealed interface Sym permits Tensor, Const {}

    /** {@code reluOf}: the value this one is relu of (so min(·, 6) can become relu6 of it). */
    private record Tensor(Value v, boolean nonNegative, Value reluOf) implements Sym {}

    private record Const(NamedTensor t) implements Sym {}

    private static final Set<String> PASS_THROUGH = Set.of("Identity", "StopGradient", "Squeeze");

    private final TfjsGraphModel model;
    private final GraphBuilder g = Graph.builder();
    private final Map<String, Sym> done = new HashMap<>();
    private final float[] inputMean;
    private final float inputScale;

    private TfjsGraphImporter(TfjsGraphModel model, float[] inputMean, float inputScale) {
        this.model = model;
        this.inputMean = inputMean.clone();
        this.inputScale = inputScale;
    }

    /** The graph from the model's input to node {@code output}. */
    public static Graph importGraph(TfjsGraphModel model, String output, float[] inputMean, float inputScale) throws TfjsFormatException {
        TfjsGraphImporter im = new TfjsGraphImporter(model, inputMean, inputScale);
        Sym out = im.resolve(output, 0);
        if (!(out instanceof Tensor t)) throw im.error(model.node(output), "is a constant, not a network output");
        return im.g.build(t.v());
    }

    private Sym resolve(String name, int depth) throws TfjsFormatException {
        Sym s = done.get(name);
        if (s != null) return s;
        if (depth > 10_000) throw new TfjsFormatException(model.file() + ": node '" + name + "' is nested too deeply (a cycle?)");
        TfjsGraphModel.Node n = model.node(name);
        Sym[] in = new Sym[n.inputs().size()];
        for (int i = 0; i < in.length; i++) in[i] = resolve(n.inputs().get(i), depth + 1);
        s = build(n, in);
        done.put(name, s);
        return s;
    }

    private Sym build(TfjsGraphModel.Node n, Sym[] in) throws TfjsFormatException {
        String op = n.op();
        if (op.equals("Const")) return new Const(model.constant(n.name()));
        if (op.equals("Placeholder")) return input(n);
        if (PASS_THROUGH.contains(op)) return squeeze(n, tensor(n, in, 0));
        return switch (op) {
            case "Conv2D", "_FusedConv2D" -> conv(n, in, false);
            case "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative" -> conv(n, in, true);
            case "Pad" -> pad(n, in);
            case "Relu" -> relu(n.name(), tensor(n, in, 0));
            case "Relu6" -> new Tensor(g.relu6(n.name(), tensor(n, in, 0).v()), true, null);
            case "Add", "AddV2", "BiasAdd" -> add(n, in, 1f);
            case "Sub" -> add(n, in, -1f);
            case "Mul" -> mul(n, in);
            case "Maximum", "Minimum" -> clamp(n, in, op.equals("Maximum"));
            case "Abs" -> abs(n.name(), tensor(n, in, 0));
            case "Mean" -> mean(n, in);
            case "Reshape" -> reshape(n, in);
            case "MatMul", "_FusedMatMul" -> matMul(n, in);
            default -> throw error(n, "uses op " + op + ", which clpipe's graph does not run");
        };
    }

    private Sym input(TfjsGraphModel.Node n) throws TfjsFormatException {
        var dims = n.attr().path("shape").path("shape").path("dim");
        if (!dims.isArray() || dims.size() != 4) throw error(n, "input must be NHWC [batch, height, width, channels], found " + dims);
        int h = dims.get(1).path("size").asInt(-1), w = dims.get(2).path("size").asInt(-1), c = dims.get(3).path("size").asInt(-1);
        if (h < 1 || w < 1 || c != inputMean.length) throw error(n, "input " + dims + " must have a fixed size and " + inputMean.length + " channels");
        Value x = g.input(h, w, c);
        if (inputScale != 1f || anyNonZero(inputMean)) x = g.normalize(n.name() + "/normalize", x, inputMean, inputScale);
        return new Tensor(x, false, null);
    }

    private Sym conv(TfjsGraphModel.Node n, Sym[] in, boolean depthwise) throws TfjsFormatException {
        Tensor x = tensor(n, in, 0);
        NamedTensor f = constant(n, in, 1);
        requireNhwc(n);
        int[] strides = n.ints("strides"), dil = n.ints("dilations");
        if (strides.length != 4 || strides[1] != strides[2] || strides[0] != 1 || strides[3] != 1) throw error(n, "strides " + Arrays.toString(strides) + " are not square NHWC strides");
        for (int d : dil) if (d != 1) throw error(n, "dilation " + Arrays.toString(dil) + " is not supported");
        if (f.rank() != 4) throw error(n, "filter " + f.shapeString() + " is not [kh, kw, in, out]");
        int kh = f.dim(0), kw = f.dim(1), cin = x.v().dims().channels();
        if (f.dim(2) != cin) throw error(n, "filter " + f.shapeString() + " does not take " + cin + " channels");
        if (depthwise && f.dim(3) != 1) throw error(n, "depthwise multiplier " + f.dim(3) + " is not supported (only 1)");
        int out = depthwise ? cin : f.dim(3);
        List<String> fused = n.strings("fused_ops");
        float[] bias = null;
        int next = 2;
        if (!fused.isEmpty()) {
            if (!fused.get(0).equals("BiasAdd")) throw error(n, "fused ops " + fused + " are not supported");
            bias = vector(n, constant(n, in, next++), out);
        }
        Value y = g.conv(n.name(), x.v(), f.values(), bias, kh, kw, out, strides[1], padding(n), depthwise ? cin : 1);
        return fusedActivation(n, fused, y);
    }

    private Sym fusedActivation(TfjsGraphModel.Node n, List<String> fused, Value y) throws TfjsFormatException {
        if (fused.size() <= 1) return new Tensor(y, false, null);
        if (fused.size() > 2) throw error(n, "fused ops " + fused + " are not supported");
        return switch (fused.get(1)) {
            case "Relu" -> relu(n.name() + "/relu", new Tensor(y, false, null));
            case "Relu6" -> new Tensor(g.relu6(n.name() + "/relu6", y), true, null);
            default -> throw error(n, "fused activation " + fused.get(1) + " is not supported");
        };
    }

    private Padding padding(TfjsGraphModel.Node n) throws TfjsFormatException {
        String p = n.string("padding");
        if ("SAME".equals(p)) return Padding.SAME;
        if ("VALID".equals(p)) return Padding.VALID;
        if ("EXPLICIT".equals(p)) {
            int[] e = n.ints("explicit_paddings");
            if (e.length != 8 || e[0] != 0 || e[1] != 0 || e[6] != 0 || e[7] != 0) throw error(n, "explicit paddings " + Arrays.toString(e) + " must pad only height and width");
            return Padding.explicit(e[2], e[3], e[4], e[5]);
        }
        throw error(n, "padding " + p + " is not supported");
    }

    private Sym pad(TfjsGraphModel.Node n, Sym[] in) throws TfjsFormatException {
        Tensor x = tensor(n, in, 0);
        NamedTensor p = constant(n, in, 1);
        if (!p.hasShape(4, 2)) throw error(n, "paddings " + p.shapeString() + " are not [4, 2]");
        float[] v = p.values();
        if (v[0] != 0 || v[1] != 0 || v[6] != 0) throw error(n, "pads batch or leading channels: " + Arrays.toString(v));
        if (in.length > 2) throw error(n, "pads with a constant value; only zero padding is supported");
        return new Tensor(g.zeroPad(n.name(), x.v(), new ZeroPadNhwc.Pads((int) v[2], (int) v[3], (int) v[4], (int) v[5], (int) v[7])), x.nonNegative(), null);
    }

    private Tensor relu(String name, Tensor x) {
        if (x.nonNegative()) return x;
        return new Tensor(g.relu(name, x.v()), true, x.v());
    }

    /** x + sign·y for tensors, or the per-channel affine for a constant. */
    private Sym add(TfjsGraphModel.Node n, Sym[] in, float sign) throws TfjsFormatException {
        if (in.length != 2) throw error(n, "takes " + in.length + " inputs, expected 2");
        if (in[0] instanceof Tensor a && in[1] instanceof Tensor b) {
            Value y = sign > 0 ? b.v() : g.scaleOffset(n.name() + "/neg", b.v(), fill(b.v(), -1f), fill(b.v(), 0f));
            requireSameDims(n, a.v(), y);
            return new Tensor(g.add(n.name(), a.v(), y), sign > 0 && a.nonNegative() && b.nonNegative(), null);
        }
        if (in[0] instanceof Const && in[1] instanceof Const) throw error(n, "adds two constants (not folded by the converter)");
        boolean constFirst = in[0] instanceof Const;
        Tensor x = (Tensor) in[constFirst ? 1 : 0];
        float[] c = vector(n, ((Const) in[constFirst ? 0 : 1]).t(), x.v().dims().channels());
        if (constFirst && sign < 0) { // c - x
            return new Tensor(g.scaleOffset(n.name(), x.v(), fill(x.v(), -1f), c), false, null);
        }
        float[] off = c.clone();
        for (int i = 0; i < off.length; i++) off[i] *= sign;
        boolean nonNeg = x.nonNegative() && allAtLeast(off, 0);
        return new Tensor(g.scaleOffset(n.name(), x.v(), fill(x.v(), 1f), off), nonNeg, null);
    }

    private Sym mul(TfjsGraphModel.Node n, Sym[] in) throws TfjsFormatException {
        if (in.length != 2) throw error(n, "takes " + in.length + " inputs, expected 2");
        if (in[0] instanceof Tensor && in[1] instanceof Tensor) throw error(n, "multiplies two tensors, which is not supported");
        if (in[0] instanceof Const && in[1] instanceof Const) throw error(n, "multiplies two constants (not folded by the converter)");
        boolean constFirst = in[0] instanceof Const;
        Tensor x = (Tensor) in[constFirst ? 1 : 0];
        float[] c = vector(n, ((Const) in[constFirst ? 0 : 1]).t(), x.v().dims().channels());
        return new Tensor(g.scaleOffset(n.name(), x.v(), c, fill(x.v(), 0f)), x.nonNegative() && allAtLeast(c, 0), null);
    }

    /** max(x, k) = relu(x - k) + k; min(x, k) = k - relu(k - x); relu then min(6) is relu6. */
    private Sym clamp(TfjsGraphModel.Node n, Sym[] in, boolean max) throws TfjsFormatException {
        if (in.length != 2 || (in[0] instanceof Const) == (in[1] instanceof Const)) throw error(n, "must compare a tensor with a scalar constant");
        Tensor x = (Tensor) (in[0] instanceof Tensor ? in[0] : in[1]);
        NamedTensor kt = ((Const) (in[0] instanceof Const ? in[0] : in[1])).t();
        if (kt.size() != 1) throw error(n, "compares with " + kt.shapeString() + "; only a scalar is supported");
        float k = kt.values()[0];
        Value v = x.v();
        if (max) {
            if (k == 0) return relu(n.name(), x);
            if (x.nonNegative() && k < 0) return x;
            Value r = g.relu(n.name() + "/relu", g.scaleOffset(n.name() + "/sub", v, fill(v, 1f), fill(v, -k)));
            return new Tensor(g.scaleOffset(n.name(), r, fill(v, 1f), fill(v, k)), k >= 0, null);
        }
        if (k == 6 && x.reluOf() != null) return new Tensor(g.relu6(n.name(), x.reluOf()), true, null);
        Value r = g.relu(n.name() + "/relu", g.scaleOffset(n.name() + "/sub", v, fill(v, -1f), fill(v, k)));
        return new Tensor(g.scaleOffset(n.name(), r, fill(v, -1f), fill(v, k)), false, null);
    }

    private Tensor abs(String name, Tensor x) {
        if (x.nonNegative()) return x;
        Value v = x.v();
        Value neg = g.relu(name + "/relu_neg", g.scaleOffset(name + "/neg", v, fill(v, -1f), fill(v, 0f)));
        return new Tensor(g.add(name, g.relu(name + "/relu_pos", v), neg), true, null);
    }

    private Sym mean(TfjsGraphModel.Node n, Sym[] in) throws TfjsFormatException {
        Tensor x = tensor(n, in, 0);
        float[] axes = constant(n, in, 1).values().clone();
        Arrays.sort(axes);
        if (!Arrays.equals(axes, new float[] {1, 2})) throw error(n, "means over axes " + Arrays.toString(axes) + "; only height and width [1, 2] are supported");
        return new Tensor(g.globalAvgPool(n.name(), x.v()), x.nonNegative(), null);
    }

    /** Flatten to [batch, features]: the graph's dense layers flatten NHWC as TensorFlow does, so the value stays. */
    private Sym reshape(TfjsGraphModel.Node n, Sym[] in) throws TfjsFormatException {
        Tensor x = tensor(n, in, 0);
        float[] s = constant(n, in, 1).values();
        int size = x.v().dims().size();
        if (s.length != 2 || !(s[0] == -1 || s[0] == 1) || !(s[1] == size || s[1] == -1)) {
            throw error(n, "reshapes " + x.v().dims() + " to " + Arrays.toString(s) + "; only flattening to [batch, " + size + "] is supported");
        }
        return x;
    }

    private Sym squeeze(TfjsGraphModel.Node n, Tensor x) throws TfjsFormatException {
        if (n.op().equals("Squeeze") && (x.v().dims().height() != 1 || x.v().dims().width() != 1)) {
            throw error(n, "squeezes " + x.v().dims() + "; only 1x1xC to a vector is supported");
        }
        return x;
    }

    private Sym matMul(TfjsGraphModel.Node n, Sym[] in) throws TfjsFormatException {
        Tensor x = tensor(n, in, 0);
        NamedTensor w = constant(n, in, 1);
        if (n.bool("transpose_a") || n.bool("transpose_b")) throw error(n, "transposed MatMul is not supported");
        int size = x.v().dims().size();
        if (w.rank() != 2 || w.dim(0) != size) throw error(n, "weights " + w.shapeString() + " do not take " + size + " inputs");
        List<String> fused = n.strings("fused_ops");
        float[] bias = null;
        if (!fused.isEmpty()) {
            if (!fused.get(0).equals("BiasAdd")) throw error(n, "fused ops " + fused + " are not supported");
            bias = vector(n, constant(n, in, 2), w.dim(1));
        }
        Value y = g.dense(n.name(), x.v(), w.values(), bias, w.dim(1));
        return fusedActivation(n, fused, y);
    }

    // ---- helpers ----

    private Tensor tensor(TfjsGraphModel.Node n, Sym[] in, int i) throws TfjsFormatException {
        if (in.length <= i) throw error(n, "has " + in.length + " inputs, needs at least " + (i + 1));
        if (in[i] instanceof Tensor t) return t;
        throw error(n, "input " + i + " ('" + n.inputs().get(i) + "') is a constant where a tensor is expected");
    }

    private NamedTensor constant(TfjsGraphModel.Node n, Sym[] in, int i) throws TfjsFormatException {
        if (in.length <= i) throw error(n, "has " + in.length + " inputs, needs at least " + (i + 1));
        if (in[i] instanceof Const c) return c.t();
        throw error(n, "input " + i + " ('" + n.inputs().get(i) + "') must be a constant");
    }

    /** A scalar or per-channel constant as {@code channels} values. */
    private float[] vector(TfjsGraphModel.Node n, NamedTensor t, int channels) throws TfjsFormatException {
        int[] shape = t.shape();
        for (int d = 0; d + 1 < shape.length; d++) if (shape[d] != 1) throw error(n, "constant '" + t.name() + "' " + t.shapeString() + " is not per-channel");
        if (t.size() == channels) return t.values().clone();
        if (t.size() == 1) {
            float[] v = new float[channels];
            Arrays.fill(v, t.values()[0]);
            return v;
        }
        throw error(n, "constant '" + t.name() + "' " + t.shapeString() + " does not match " + channels + " channels");
    }

    private void requireNhwc(TfjsGraphModel.Node n) throws TfjsFormatException {
        String f = n.string("data_format");
        if (f != null && !f.equals("NHWC")) throw error(n, "data format " + f + " is not supported (only NHWC)");
    }

    private void requireSameDims(TfjsGraphModel.Node n, Value a, Value b) throws TfjsFormatException {
        if (!a.dims().equals(b.dims())) throw error(n, "combines " + a.dims() + " with " + b.dims() + " (broadcasting is not supported)");
    }

    private float[] fill(Value v, float value) {
        float[] a = new float[v.dims().channels()];
        Arrays.fill(a, value);
        return a;
    }

    private static boolean allAtLeast(float[] v, float min) {
        for (float x : v) if (x < min) return false;
        return true;
    }

    private static boolean anyNonZero(float[] v) {
        for (float x : v) if (x != 0) return true;
        return false;
    }

    private TfjsFormatException error(TfjsGraphModel.Node n, String what) {
        return new TfjsFormatException(model.file() + ": node '" + n.name() + "' (" + n.op() + ") " + what);
    }
}
