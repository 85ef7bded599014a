package dev.clpipe.nn.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.clpipe.nn.graph.Dims;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.GraphBuilder;
import dev.clpipe.nn.graph.Padding;
import dev.clpipe.nn.graph.Value;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.ZeroPadNhwc;
import dev.clpipe.nn.onnx.proto.Onnx.AttributeProto;
import dev.clpipe.nn.onnx.proto.Onnx.GraphProto;
import dev.clpipe.nn.onnx.proto.Onnx.ModelProto;
import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import dev.clpipe.nn.onnx.proto.Onnx.OperatorSetIdProto;
import dev.clpipe.nn.onnx.proto.Onnx.TensorProto;
import dev.clpipe.nn.onnx.proto.Onnx.TensorShapeProto;
import dev.clpipe.nn.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code .onnx} file (opset 13-17) into an {@link OnnxNetwork}: one NCHW float input,
 * convolutions (grouped, depthwise) with batch norm folded in, Gemm/MatMul, per-channel
 * Add/Sub/Mul/Div by constants, Relu/LeakyRelu/Clip(0,6)/Sigmoid/Tanh, Max/Average/GlobalAverage
 * pooling, residual Add, zero Pad, and Flatten/Reshape/Transpose/Identity/Dropout where they do not
 * move data. Weights are converted from ONNX's OIHW/NCHW order to the graph's HWIO/NHWC once here.
 * Anything else is refused naming the node and operator ({@link UnsupportedOnnxException}); a
 * malformed file is an {@link OnnxFormatException} naming the file and node.
 */
public final class OnnxImporter {
    public static final int MIN_OPSET = 13;
    public static final int MAX_OPSET = 17;

    /** An activation: its graph value and its ONNX rank (4: NCHW map; 2: [N, features], NCHW-flattened). */
    private record Act(Value value, int rank) {}

    private final Path file;
    private final OnnxTensors tensors;
    private final GraphBuilder g = Graph.builder();
    private final Map<String, Act> acts = new HashMap<>();
    private final Map<String, OnnxTensors.Data> consts = new HashMap<>();
    private final Map<String, Integer> readers = new HashMap<>();
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final Set<NodeProto> folded = new HashSet<>();
    private final Set<String> names = new HashSet<>();
    private String where = "model";

    private OnnxImporter(Path file) {
        this.file = file;
        this.tensors = new OnnxTensors(file);
    }

    public static OnnxNetwork read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new OnnxFormatException(file + ": no such ONNX file");
        ModelProto model;
        try {
            model = ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(file + ": not an ONNX model or truncated (" + e.getMessage() + ")");
        }
        if (model.getIrVersion() <= 0 || !model.hasGraph()) throw new OnnxFormatException(file + ": not an ONNX model (no IR version or no graph)");
        return new OnnxImporter(file).build(model);
    }

    private OnnxNetwork build(ModelProto model) throws OnnxFormatException {
        int opset = opset(model);
        GraphProto graph = model.getGraph();
        for (TensorProto t : graph.getInitializerList()) {
            where = "initializer '" + t.getName() + "'";
            consts.put(t.getName(), tensors.decode(t, where));
        }
        for (NodeProto n : graph.getNodeList()) {
            for (String in : n.getInputList()) readers.merge(in, 1, Integer::sum);
            for (String out : n.getOutputList()) producers.put(out, n);
        }
        graph.getOutputList().forEach(o -> graphOutputs.add(o.getName()));
        String inputName = declareInput(graph);
        List<NodeProto> nodes = graph.getNodeList();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            where = "node '" + label(n, i) + "' (" + n.getOpType() + ")";
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) throw unsupported(n, "operator domain '" + n.getDomain() + "'");
            if (!folded.contains(n)) node(n, i);
        }
        List<Value> outs = new ArrayList<>();
        List<OnnxNetwork.Output> outputs = new ArrayList<>();
        for (ValueInfoProto o : graph.getOutputList()) {
            where = "output '" + o.getName() + "'";
            Act a = acts.get(o.getName());
            if (a == null) throw bad("is not computed by any node from the input");
            outs.add(a.value());
            Dims d = a.value().dims();
            outputs.add(new OnnxNetwork.Output(o.getName(), a.rank() == 4 ? new int[] {d.channels(), d.height(), d.width()} : new int[] {d.size()}));
        }
        return new OnnxNetwork(file, g.build(outs.toArray(Value[]::new)), opset, model.getProducerName() + " " + model.getProducerVersion(),
                inputName, outputs);
    }

    private int opset(ModelProto model) throws OnnxFormatException {
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                long v = o.getVersion();
                if (v < MIN_OPSET || v > MAX_OPSET) {
                    throw new OnnxFormatException(file + ": opset " + v + " is out of the supported range " + MIN_OPSET + "-" + MAX_OPSET
                            + " (re-export with e.g. torch.onnx.export(..., opset_version=17))");
                }
                return (int) v;
            }
        }
        throw new OnnxFormatException(file + ": imports no default-domain opset");
    }

    /** The one graph input that is not an initializer: float, [N, C, H, W] with fixed C, H, W. */
    private String declareInput(GraphProto graph) throws OnnxFormatException {
        List<ValueInfoProto> inputs = graph.getInputList().stream().filter(v -> !consts.containsKey(v.getName())).toList();
        if (inputs.size() != 1) {
            throw new OnnxFormatException(file + ": " + inputs.size() + " graph inputs " + inputs.stream().map(ValueInfoProto::getName).toList()
                    + "; clpipe runs models with exactly one image input");
        }
        ValueInfoProto in = inputs.get(0);
        where = "input '" + in.getName() + "'";
        if (!in.getType().hasTensorType() || in.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            throw bad("is not a float32 tensor");
        }
        List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
        if (dims.size() != 4) throw bad("has rank " + dims.size() + "; clpipe imports image models with an NCHW input");
        int[] chw = new int[3];
        String[] axes = {"channels", "height", "width"};
        for (int k = 1; k < 4; k++) {
            TensorShapeProto.Dimension d = dims.get(k);
            if (!d.hasDimValue() || d.getDimValue() < 1) {
                throw bad("has a dynamic " + axes[k - 1] + " dimension" + (d.hasDimParam() ? " '" + d.getDimParam() + "'" : "")
                        + " that cannot be resolved; export with a fixed input size (only the batch may be dynamic)");
            }
            chw[k - 1] = Math.toIntExact(d.getDimValue());
        }
        acts.put(in.getName(), new Act(g.input(chw[1], chw[2], chw[0]), 4));
        names.add("input");
        return in.getName();
    }

    // ---- operators ----

    private void node(NodeProto n, int index) throws OnnxFormatException {
        String name = unique(label(n, index));
        switch (n.getOpType()) {
            case "Constant" -> constant(n);
            case "Identity", "Dropout" -> alias(n, act(n, 0));
            case "Conv" -> conv(n, name);
            case "BatchNormalization" -> batchNorm(n, name);
            case "Gemm" -> gemm(n, name);
            case "MatMul" -> matMul(n, name);
            case "Relu" -> out(n, g.relu(name, act(n, 0).value()), act(n, 0).rank());
            case "LeakyRelu" -> out(n, g.leakyRelu(name, act(n, 0).value(), floatAttr(n, "alpha", 0.01f)), act(n, 0).rank());
            case "Sigmoid" -> out(n, g.activation(name, act(n, 0).value(), Activation.Kind.SIGMOID, 0), act(n, 0).rank());
            case "Tanh" -> out(n, g.activation(name, act(n, 0).value(), Activation.Kind.TANH, 0), act(n, 0).rank());
            case "Clip" -> clip(n, name);
            case "MaxPool", "AveragePool" -> pool(n, name);
            case "GlobalAveragePool" -> out(n, g.globalAvgPool(name, act4(n, 0).value()), 4);
            case "Add", "Sub", "Mul", "Div" -> arithmetic(n, name);
            case "Pad" -> pad(n, name);
            case "Flatten" -> flatten(n);
            case "Reshape" -> reshape(n);
            case "Transpose" -> transpose(n);
            default -> throw unsupported(n, "operator " + n.getOpType());
        }
    }

    private void constant(NodeProto n) throws OnnxFormatException {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("value")) {
                consts.put(n.getOutput(0), tensors.decode(a.getT(), where));
                return;
            }
            if (a.getName().equals("value_float")) {
                consts.put(n.getOutput(0), new OnnxTensors.Data(n.getOutput(0), new long[0], new float[] {a.getF()}));
                return;
            }
            if (a.getName().equals("value_ints")) {
                float[] v = new float[a.getIntsCount()];
                for (int i = 0; i < v.length; i++) v[i] = a.getInts(i);
                consts.put(n.getOutput(0), new OnnxTensors.Data(n.getOutput(0), new long[] {v.length}, v));
                return;
            }
        }
        throw unsupported(n, "Constant without a 'value' tensor");
    }

    private void conv(NodeProto n, String name) throws OnnxFormatException {
        Act x = act4(n, 0);
        Dims in = x.value().dims();
        OnnxTensors.Data w = weight(n, 1);
        if (w.dims().length != 4) throw bad("weight '" + w.name() + "' has rank " + w.dims().length + ", a 2-d convolution needs 4");
        int out = (int) w.dims()[0], inPerGroup = (int) w.dims()[1], kh = (int) w.dims()[2], kw = (int) w.dims()[3];
        int groups = (int) intAttr(n, "group", 1);
        if (groups < 1 || inPerGroup * groups != in.channels()) {
            throw bad("weight " + Arrays.toString(w.dims()) + " with group " + groups + " does not fit " + in.channels() + " input channels");
        }
        checkKernelShape(n, kh, kw);
        requireOnes(n, "dilations");
        int stride = squareStride(n);
        float[] bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? vector(n, 2, out) : null;
        float[] hwio = new float[w.values().length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < inPerGroup; i++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        hwio[((ky * kw + kx) * inPerGroup + i) * out + o] = w.values()[((o * inPerGroup + i) * kh + ky) * kw + kx];
                    }
                }
            }
        }
        NodeProto bn = foldableBatchNorm(n);
        if (bn != null) {
            float[][] so = batchNormScaleOffset(bn, out);
            for (int k = 0; k < hwio.length; k++) hwio[k] *= so[0][k % out];
            float[] b = new float[out];
            for (int o = 0; o < out; o++) b[o] = (bias == null ? 0 : bias[o]) * so[0][o] + so[1][o];
            bias = b;
            folded.add(bn);
        }
        Padding padding = padding(n, in, kh, kw, stride);
        Value y = g.conv(name, x.value(), hwio, bias, kh, kw, out, stride, padding, groups);
        out(n, y, 4);
        if (bn != null) acts.put(bn.getOutput(0), new Act(y, 4));
    }

    /** The BatchNormalization that is the only reader of this convolution's output, if any. */
    private NodeProto foldableBatchNorm(NodeProto conv) {
        String y = conv.getOutput(0);
        if (readers.getOrDefault(y, 0) != 1 || graphOutputs.contains(y)) return null;
        for (NodeProto p : producers.values()) {
            if (p.getOpType().equals("BatchNormalization") && p.getInput(0).equals(y) && p.getOutputCount() == 1
                    && p.getInputList().subList(1, p.getInputCount()).stream().allMatch(consts::containsKey)) {
                return p;
            }
        }
        return null;
    }

    /** Per-channel {scale, offset} of an inference batch norm: scale = gamma / sqrt(var + eps), offset = beta - mean * scale. */
    private float[][] batchNormScaleOffset(NodeProto n, int channels) throws OnnxFormatException {
        if (n.getInputCount() != 5) throw bad("BatchNormalization needs 5 inputs (X, scale, B, mean, var), has " + n.getInputCount());
        if (intAttr(n, "training_mode", 0) != 0) throw unsupported(n, "BatchNormalization in training mode");
        float eps = floatAttr(n, "epsilon", 1e-5f);
        float[] gamma = vector(n, 1, channels), beta = vector(n, 2, channels), mean = vector(n, 3, channels), var = vector(n, 4, channels);
        float[] scale = new float[channels], offset = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (gamma[c] / Math.sqrt((double) var[c] + eps));
            offset[c] = beta[c] - mean[c] * scale[c];
        }
        return new float[][] {scale, offset};
    }

    private void batchNorm(NodeProto n, String name) throws OnnxFormatException {
        Act x = act(n, 0);
        float[][] so = batchNormScaleOffset(n, x.value().dims().channels());
        out(n, g.scaleOffset(name, x.value(), so[0], so[1]), x.rank());
    }

    private void gemm(NodeProto n, String name) throws OnnxFormatException {
        if (intAttr(n, "transA", 0) != 0) throw unsupported(n, "Gemm with transA=1");
        Act x = act(n, 0);
        if (x.rank() != 2) throw unsupported(n, "Gemm on a rank-" + x.rank() + " input (flatten it first)");
        OnnxTensors.Data b = weight(n, 1);
        boolean transB = intAttr(n, "transB", 0) != 0;
        float alpha = floatAttr(n, "alpha", 1f), beta = floatAttr(n, "beta", 1f);
        dense(n, name, x, b, transB, alpha, n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? 2 : -1, beta);
    }

    private void matMul(NodeProto n, String name) throws OnnxFormatException {
        Act x = act(n, 0);
        if (x.rank() != 2) throw unsupported(n, "MatMul on a rank-" + x.rank() + " input (flatten it first)");
        dense(n, name, x, weight(n, 1), false, 1f, -1, 0f);
    }

    /**
     * y = alpha * x·B (+ beta * C): B {@code [in, out]} or transposed; rows of B follow ONNX's NCHW
     * flattening and are reordered to the graph's NHWC flattening of the input map.
     */
    private void dense(NodeProto n, String name, Act x, OnnxTensors.Data b, boolean transB, float alpha, int biasInput, float beta)
            throws OnnxFormatException {
        Dims in = x.value().dims();
        if (b.dims().length != 2) throw bad("weight '" + b.name() + "' has rank " + b.dims().length + ", expected 2");
        int rows = (int) b.dims()[transB ? 1 : 0], cols = (int) b.dims()[transB ? 0 : 1];
        if (rows != in.size()) throw bad("weight '" + b.name() + "' " + Arrays.toString(b.dims()) + " does not take " + in.size() + " input features");
        float[] w = new float[rows * cols];
        int c = in.channels(), hw = in.pixels();
        for (int r = 0; r < rows; r++) {
            int ch = r / hw, p = r % hw, physical = p * c + ch; // NCHW-flat row r is NHWC-flat row `physical`
            for (int o = 0; o < cols; o++) w[physical * cols + o] = alpha * b.values()[transB ? o * rows + r : r * cols + o];
        }
        float[] bias = null;
        if (biasInput >= 0) {
            bias = vector(n, biasInput, cols);
            for (int o = 0; o < cols; o++) bias[o] *= beta;
        }
        out(n, g.dense(name, x.value(), w, bias, cols), 2);
    }

    private void clip(NodeProto n, String name) throws OnnxFormatException {
        float lo = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? scalar(n, 1) : Float.NEGATIVE_INFINITY;
        float hi = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? scalar(n, 2) : Float.POSITIVE_INFINITY;
        Act x = act(n, 0);
        if (lo == 0f && hi == 6f) out(n, g.relu6(name, x.value()), x.rank());
        else if (lo == 0f && hi == Float.POSITIVE_INFINITY) out(n, g.relu(name, x.value()), x.rank());
        else throw unsupported(n, "Clip to [" + lo + ", " + hi + "] (clpipe runs Clip to [0, 6] and [0, inf))");
    }

    private void pool(NodeProto n, String name) throws OnnxFormatException {
        Act x = act4(n, 0);
        long[] k = ints(n, "kernel_shape", null);
        if (k == null || k.length != 2 || k[0] != k[1]) throw unsupported(n, "pooling window " + Arrays.toString(k) + " (clpipe pools square 2-d windows)");
        if (intAttr(n, "ceil_mode", 0) != 0) throw unsupported(n, "ceil_mode=1");
        requireOnes(n, "dilations");
        int kernel = (int) k[0], stride = squareStride(n);
        Padding padding = padding(n, x.value().dims(), kernel, kernel, stride);
        boolean max = n.getOpType().equals("MaxPool");
        if (max && n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) throw unsupported(n, "MaxPool's Indices output");
        if (!max && intAttr(n, "count_include_pad", 0) != 0 && (padding.top() + padding.bottom() + padding.left() + padding.right() > 0)) {
            throw unsupported(n, "AveragePool with count_include_pad=1 and padding (clpipe averages over real pixels only)");
        }
        out(n, max ? g.maxPool(name, x.value(), kernel, stride, padding) : g.avgPool(name, x.value(), kernel, stride, padding), 4);
    }

    /** Add of two activations (residual); Add/Sub/Mul/Div of an activation and a per-channel or scalar constant. */
    private void arithmetic(NodeProto n, String name) throws OnnxFormatException {
        String op = n.getOpType();
        boolean c0 = consts.containsKey(n.getInput(0)), c1 = consts.containsKey(n.getInput(1));
        if (!c0 && !c1) {
            Act a = act(n, 0), b = act(n, 1);
            if (!op.equals("Add")) throw unsupported(n, op + " of two activations");
            if (a.rank() != b.rank() || !a.value().dims().equals(b.value().dims())) {
                throw unsupported(n, "Add of " + a.value().dims() + " and " + b.value().dims() + " (broadcasting between activations)");
            }
            out(n, g.add(name, a.value(), b.value()), a.rank());
            return;
        }
        if (c0 && c1) throw unsupported(n, op + " of two constants (fold constants before export)");
        if (c0 && (op.equals("Sub") || op.equals("Div"))) throw unsupported(n, "constant " + op + " activation");
        Act x = act(n, c0 ? 1 : 0);
        int channels = x.value().dims().channels();
        float[] v = perChannel(n, c0 ? 0 : 1, x);
        float[] sub = new float[channels], mul = new float[channels], add = new float[channels];
        Arrays.fill(mul, 1f);
        for (int ch = 0; ch < channels; ch++) {
            switch (op) {
                case "Add" -> add[ch] = v[ch];
                case "Sub" -> sub[ch] = v[ch];
                case "Mul" -> mul[ch] = v[ch];
                default -> mul[ch] = 1f / v[ch];
            }
        }
        out(n, g.affine(name, x.value(), sub, mul, add), x.rank());
    }

    /** A constant broadcast per channel of {@code x}: a scalar, {@code [C]}/{@code [1,C]} on [N, C], {@code [C,1,1]}/{@code [1,C,1,1]} on NCHW. */
    private float[] perChannel(NodeProto n, int input, Act x) throws OnnxFormatException {
        OnnxTensors.Data c = consts.get(n.getInput(input));
        Dims d = x.value().dims();
        int channels = d.channels();
        float[] v = new float[channels];
        if (c.count() == 1) {
            Arrays.fill(v, c.values()[0]);
            return v;
        }
        long[] dims = c.dims();
        boolean fits = c.count() == channels && (x.rank() == 4
                ? dims.length >= 3 && dims[dims.length - 1] == 1 && dims[dims.length - 2] == 1
                : d.pixels() == 1 && dims[dims.length - 1] == channels);
        if (!fits) throw unsupported(n, n.getOpType() + " by a constant of shape " + Arrays.toString(dims) + " (clpipe broadcasts scalars and per-channel constants)");
        return c.values().clone();
    }

    private void pad(NodeProto n, String name) throws OnnxFormatException {
        String mode = stringAttr(n, "mode", "constant");
        if (!mode.equals("constant")) throw unsupported(n, "Pad mode '" + mode + "'");
        Act x = act4(n, 0);
        long[] p = consts(n, 1).longs();
        if (p.length != 8) throw bad("pads has " + p.length + " values, an NCHW map needs 8");
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty() && scalar(n, 2) != 0f) throw unsupported(n, "Pad with a non-zero value");
        if (n.getInputCount() > 3 && !n.getInput(3).isEmpty()) throw unsupported(n, "Pad with axes");
        for (long v : p) if (v < 0) throw unsupported(n, "negative pads (cropping)");
        if (p[0] != 0 || p[4] != 0 || p[1] != 0) throw unsupported(n, "padding the batch or leading channels " + Arrays.toString(p));
        out(n, g.zeroPad(name, x.value(), new ZeroPadNhwc.Pads((int) p[2], (int) p[6], (int) p[3], (int) p[7], (int) p[5])), 4);
    }

    private void flatten(NodeProto n) throws OnnxFormatException {
        Act x = act(n, 0);
        long axis = intAttr(n, "axis", 1);
        if (axis != 1 && !(x.rank() == 2 && axis == -1)) throw unsupported(n, "Flatten with axis " + axis + " (clpipe flattens per sample, axis 1)");
        acts.put(n.getOutput(0), new Act(x.value(), 2));
    }

    /** Reshape to [N, features] (a flatten) or to the shape it already has. */
    private void reshape(NodeProto n) throws OnnxFormatException {
        Act x = act(n, 0);
        long[] shape = consts(n, 1).longs();
        Dims d = x.value().dims();
        long[] now = x.rank() == 4 ? new long[] {d.channels(), d.height(), d.width()} : new long[] {d.size()};
        if (shape.length == 2 && (shape[1] == -1 || shape[1] == d.size()) && shape[0] != -1 || shape.length == 2 && shape[0] == -1 && shape[1] == d.size()) {
            acts.put(n.getOutput(0), new Act(x.value(), 2));
            return;
        }
        if (shape.length == now.length + 1 && Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), now)) {
            alias(n, x);
            return;
        }
        throw unsupported(n, "Reshape to " + Arrays.toString(shape) + " from " + (x.rank() == 4 ? "NCHW " : "") + Arrays.toString(now)
                + " (clpipe reshapes only to [N, features] or to the same shape)");
    }

    private void transpose(NodeProto n) throws OnnxFormatException {
        Act x = act(n, 0);
        long[] perm = ints(n, "perm", null);
        Dims d = x.value().dims();
        long[] sizes = x.rank() == 4 ? new long[] {1, d.channels(), d.height(), d.width()} : new long[] {1, d.size()};
        if (perm == null) throw unsupported(n, "Transpose reversing all axes");
        // A layout no-op when the axes of size > 1 keep their order.
        int last = -1;
        for (long p : perm) {
            if (p < 0 || p >= sizes.length) throw bad("perm " + Arrays.toString(perm) + " does not fit rank " + sizes.length);
            if (sizes[(int) p] == 1) continue;
            if (p < last) throw unsupported(n, "Transpose " + Arrays.toString(perm) + " that moves data (clpipe accepts layout no-ops only)");
            last = (int) p;
        }
        if (perm[0] != 0) throw unsupported(n, "Transpose " + Arrays.toString(perm) + " moving the batch axis");
        alias(n, x);
    }

    // ---- helpers ----

    private void alias(NodeProto n, Act x) {
        acts.put(n.getOutput(0), x);
    }

    private void out(NodeProto n, Value v, int rank) {
        acts.put(n.getOutput(0), new Act(v, rank));
    }

    private Act act(NodeProto n, int input) throws OnnxFormatException {
        if (input >= n.getInputCount()) throw bad("has " + n.getInputCount() + " inputs, needs at least " + (input + 1));
        String name = n.getInput(input);
        Act a = acts.get(name);
        if (a != null) return a;
        if (consts.containsKey(name)) throw unsupported(n, "a constant '" + name + "' where an activation is expected");
        throw bad("reads '" + name + "', which no earlier node produces (nodes must be in topological order)");
    }

    private Act act4(NodeProto n, int input) throws OnnxFormatException {
        Act a = act(n, input);
        if (a.rank() != 4) throw unsupported(n, n.getOpType() + " on a rank-" + a.rank() + " input (clpipe runs it on NCHW maps)");
        return a;
    }

    private OnnxTensors.Data consts(NodeProto n, int input) throws OnnxFormatException {
        if (input >= n.getInputCount()) throw bad("has " + n.getInputCount() + " inputs, needs at least " + (input + 1));
        OnnxTensors.Data c = consts.get(n.getInput(input));
        if (c != null) return c;
        if (acts.containsKey(n.getInput(input))) throw unsupported(n, "a computed '" + n.getInput(input) + "' where a constant is expected (dynamic shapes)");
        throw bad("reads '" + n.getInput(input) + "', which no initializer or earlier node produces");
    }

    private OnnxTensors.Data weight(NodeProto n, int input) throws OnnxFormatException {
        return consts(n, input);
    }

    private float[] vector(NodeProto n, int input, int length) throws OnnxFormatException {
        OnnxTensors.Data c = consts(n, input);
        if (c.count() != length) throw bad("'" + c.name() + "' has " + c.count() + " values, expected " + length);
        return c.values().clone();
    }

    private float scalar(NodeProto n, int input) throws OnnxFormatException {
        OnnxTensors.Data c = consts(n, input);
        if (c.count() != 1) throw bad("'" + c.name() + "' has " + c.count() + " values, expected one");
        return c.values()[0];
    }

    private AttributeProto attr(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) if (a.getName().equals(name)) return a;
        return null;
    }

    private long intAttr(NodeProto n, String name, long fallback) {
        AttributeProto a = attr(n, name);
        return a == null ? fallback : a.getI();
    }

    private float floatAttr(NodeProto n, String name, float fallback) {
        AttributeProto a = attr(n, name);
        return a == null ? fallback : a.getF();
    }

    private String stringAttr(NodeProto n, String name, String fallback) {
        AttributeProto a = attr(n, name);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    private long[] ints(NodeProto n, String name, long[] fallback) {
        AttributeProto a = attr(n, name);
        return a == null ? fallback : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    private void checkKernelShape(NodeProto n, int kh, int kw) throws OnnxFormatException {
        long[] k = ints(n, "kernel_shape", null);
        if (k != null && (k.length != 2 || k[0] != kh || k[1] != kw)) throw bad("kernel_shape " + Arrays.toString(k) + " disagrees with the weight's " + kh + "x" + kw);
    }

    private void requireOnes(NodeProto n, String attribute) {
        long[] v = ints(n, attribute, null);
        if (v != null) for (long x : v) if (x != 1) throw unsupported(n, attribute + " " + Arrays.toString(v));
    }

    private int squareStride(NodeProto n) {
        long[] s = ints(n, "strides", new long[] {1, 1});
        if (s.length != 2 || s[0] != s[1] || s[0] < 1) throw unsupported(n, "strides " + Arrays.toString(s) + " (clpipe strides both axes alike)");
        return (int) s[0];
    }

    /** ONNX pads [top, left, bottom, right] or auto_pad; SAME_UPPER is TensorFlow's 'same'. */
    private Padding padding(NodeProto n, Dims in, int kh, int kw, int stride) throws OnnxFormatException {
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
                int[] v = sameLower(in.height(), kh, stride), h = sameLower(in.width(), kw, stride);
                return Padding.explicit(v[0], v[1], h[0], h[1]);
            }
            default -> throw bad("auto_pad '" + auto + "' is not an ONNX value");
        }
    }

    private static int[] sameLower(int size, int k, int s) {
        int out = (size + s - 1) / s;
        int total = Math.max(0, (out - 1) * s + k - size);
        return new int[] {total - total / 2, total / 2};
    }

    private String label(NodeProto n, int index) {
        if (!n.getName().isEmpty()) return n.getName();
        if (n.getOutputCount() > 0 && !n.getOutput(0).isEmpty()) return n.getOutput(0);
        return n.getOpType() + "_" + index;
    }

    /** Graph node names are unique; ONNX node names need not be. */
    private String unique(String name) {
        String u = name;
        for (int k = 2; !names.add(u); k++) u = name + "#" + k;
        return u;
    }

    private OnnxFormatException bad(String message) {
        return new OnnxFormatException(file + ": " + where + ": " + message);
    }

    private UnsupportedOnnxException unsupported(NodeProto n, String what) {
        return new UnsupportedOnnxException(file + ": node '" + (n.getName().isEmpty() ? n.getOutput(0) : n.getName()) + "' (" + n.getOpType()
                + "): " + what + " is not supported; clpipe imports Conv, Gemm/MatMul, BatchNormalization, Relu/LeakyRelu/Clip/Sigmoid/Tanh, "
                + "MaxPool/AveragePool/GlobalAveragePool, Add/Sub/Mul/Div, Pad, Flatten/Reshape/Transpose (layout no-ops), Identity/Dropout");
    }
}
