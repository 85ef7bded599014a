package dev.clpipe.nn.onnx;

import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.GraphBuilder;
import dev.clpipe.nn.graph.Padding;
import dev.clpipe.nn.graph.Value;
import dev.clpipe.nn.onnx.proto.Onnx.AttributeProto;
import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the node mappers share while one model is imported: the graph being built, the
 * activations and constants by ONNX name (with each activation's ONNX rank), who reads what, and
 * the helpers that read inputs and attributes and word errors naming the file and node.
 */
final class ImportState {
    /** An activation: its graph value and its ONNX rank (4: NCHW map; 2: [N, features], NCHW-flattened). */
    record Act(Value value, int rank) {}

    final Path file;
    final OnnxTensors tensors;
    final GraphBuilder g = Graph.builder();
    final Map<String, Act> acts = new HashMap<>();
    final Map<String, OnnxTensors.Data> consts = new HashMap<>();
    final Map<String, Integer> readers = new HashMap<>();
    final Map<String, NodeProto> producers = new HashMap<>();
    final Set<String> graphOutputs = new HashSet<>();
    final Set<NodeProto> folded = new HashSet<>();
    final Set<String> names = new HashSet<>();
    String where = "model";

    ImportState(Path file) {
        this.file = file;
        this.tensors = new OnnxTensors(file);
    }

    void alias(NodeProto n, Act x) {
        acts.put(n.getOutput(0), x);
    }

    void out(NodeProto n, Value v, int rank) {
        acts.put(n.getOutput(0), new Act(v, rank));
    }

    Act act(NodeProto n, int input) throws OnnxFormatException {
        if (input >= n.getInputCount()) throw bad("has " + n.getInputCount() + " inputs, needs at least " + (input + 1));
        String name = n.getInput(input);
        Act a = acts.get(name);
        if (a != null) return a;
        if (consts.containsKey(name)) throw unsupported(n, "a constant '" + name + "' where an activation is expected");
        throw bad("reads '" + name + "', which no earlier node produces (nodes must be in topological order)");
    }

    Act act4(NodeProto n, int input) throws OnnxFormatException {
        Act a = act(n, input);
        if (a.rank() != 4) throw unsupported(n, n.getOpType() + " on a rank-" + a.rank() + " input (clpipe runs it on NCHW maps)");
        return a;
    }

    OnnxTensors.Data consts(NodeProto n, int input) throws OnnxFormatException {
        if (input >= n.getInputCount()) throw bad("has " + n.getInputCount() + " inputs, needs at least " + (input + 1));
        OnnxTensors.Data c = consts.get(n.getInput(input));
        if (c != null) return c;
        if (acts.containsKey(n.getInput(input))) throw unsupported(n, "a computed '" + n.getInput(input) + "' where a constant is expected (dynamic shapes)");
        throw bad("reads '" + n.getInput(input) + "', which no initializer or earlier node produces");
    }

    OnnxTensors.Data weight(NodeProto n, int input) throws OnnxFormatException {
        return consts(n, input);
    }

    float[] vector(NodeProto n, int input, int length) throws OnnxFormatException {
        OnnxTensors.Data c = consts(n, input);
        if (c.count() != length) throw bad("'" + c.name() + "' has " + c.count() + " values, expected " + length);
        return c.values().clone();
    }

    float scalar(NodeProto n, int input) throws OnnxFormatException {
        OnnxTensors.Data c = consts(n, input);
        if (c.count() != 1) throw bad("'" + c.name() + "' has " + c.count() + " values, expected one");
        return c.values()[0];
    }

    AttributeProto attr(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) if (a.getName().equals(name)) return a;
        return null;
    }

    long intAttr(NodeProto n, String name, long fallback) {
        AttributeProto a = attr(n, name);
        return a == null ? fallback : a.getI();
    }

    float floatAttr(NodeProto n, String name, float fallback) {
        AttributeProto a = attr(n, name);
        return a == null ? fallback : a.getF();
    }

    String stringAttr(NodeProto n, String name, String fallback) {
        AttributeProto a = attr(n, name);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    long[] ints(NodeProto n, String name, long[] fallback) {
        AttributeProto a = attr(n, name);
        return a == null ? fallback : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    void checkKernelShape(NodeProto n, int kh, int kw) throws OnnxFormatException {
        long[] k = ints(n, "kernel_shape", null);
        if (k != null && (k.length != 2 || k[0] != kh || k[1] != kw)) throw bad("kernel_shape " + Arrays.toString(k) + " disagrees with the weight's " + kh + "x" + kw);
    }

    void requireOnes(NodeProto n, String attribute) {
        long[] v = ints(n, attribute, null);
        if (v != null) for (long x : v) if (x != 1) throw unsupported(n, attribute + " " + Arrays.toString(v));
    }

    int squareStride(NodeProto n) {
        long[] s = ints(n, "strides", new long[] {1, 1});
        if (s.length != 2 || s[0] != s[1] || s[0] < 1) throw unsupported(n, "strides " + Arrays.toString(s) + " (clpipe strides both axes alike)");
        return (int) s[0];
    }

    /** ONNX pads [top, left, bottom, right] or auto_pad; SAME_UPPER is TensorFlow's 'same'. */
    Padding padding(NodeProto n, Shape in, int kh, int kw, int stride) throws OnnxFormatException {
        return padding(n, in, kh, kw, stride, stride);
    }

    /** ONNX pads [top, left, bottom, right] or auto_pad; SAME_UPPER is TensorFlow's 'same'. */
    Padding padding(NodeProto n, Shape in, int kh, int kw, int strideH, int strideW) throws OnnxFormatException {
        String auto = stringAttr(n, "auto_pad", "NOTSET");
        switch (auto) {
            case "NOTSET" -> {
                long[] p = ints(n, "pads", new long[] {0, 0, 0, 0});
                if (p.length != 4) throw bad("pads " + Arrays.toString(p) + " does not describe a 2-d window");
                for (long v : p) if (v < 0) throw bad("negative pads " + Arrays.toString(p));
                return Padding.explicit((int) p[0], (int) p[2], (int) p[1], (int) p[3]);
            }
            case "VALID" -> {
                return Padding.VALID;
            }
            case "SAME_UPPER" -> {
                return Padding.SAME;
            }
            case "SAME_LOWER" -> {
                int[] v = sameLower(in.height(), kh, strideH), h = sameLower(in.width(), kw, strideW);
                return Padding.explicit(v[0], v[1], h[0], h[1]);
            }
            default -> throw bad("auto_pad '" + auto + "' is not an ONNX value");
        }
    }

    static int[] sameLower(int size, int k, int s) {
        int out = (size + s - 1) / s;
        int total = Math.max(0, (out - 1) * s + k - size);
        return new int[] {total - total / 2, total / 2};
    }

    String label(NodeProto n, int index) {
        if (!n.getName().isEmpty()) return n.getName();
        if (n.getOutputCount() > 0 && !n.getOutput(0).isEmpty()) return n.getOutput(0);
        return n.getOpType() + "_" + index;
    }

    /** Graph node names are unique; ONNX node names need not be. */
    String unique(String name) {
        String u = name;
        for (int k = 2; !names.add(u); k++) u = name + "#" + k;
        return u;
    }

    OnnxFormatException bad(String message) {
        return new OnnxFormatException(file + ": " + where + ": " + message);
    }

    UnsupportedOnnxException unsupported(NodeProto n, String what) {
        return new UnsupportedOnnxException(file + ": node '" + (n.getName().isEmpty() ? n.getOutput(0) : n.getName()) + "' (" + n.getOpType()
                + "): " + what + " is not supported; clpipe imports Conv, ConvTranspose, Gemm/MatMul, BatchNormalization, Relu/LeakyRelu/Clip/Sigmoid/Tanh/"
                + "HardSigmoid/HardSwish/Softmax, MaxPool/AveragePool/GlobalAveragePool, Add/Sub/Mul/Div/Concat, Pad, Resize (nearest, linear), "
                + "Flatten/Reshape/Transpose (layout no-ops), Identity/Dropout");
    }
}
