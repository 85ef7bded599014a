package dev.clpipe.nn.onnx;

import com.google.protobuf.ByteString;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.Node;
import dev.clpipe.nn.graph.SpecGraph;
import dev.clpipe.nn.onnx.proto.Onnx.AttributeProto;
import dev.clpipe.nn.ops.Pool2d;
import dev.clpipe.nn.ops.ConvTransposeWindow;
import dev.clpipe.nn.ops.PoolWindow;
import dev.clpipe.nn.ops.Upsample;
import dev.clpipe.nn.ops.ZeroPadNhwc;
import dev.clpipe.nn.onnx.proto.Onnx.GraphProto;
import dev.clpipe.nn.onnx.proto.Onnx.ModelProto;
import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import dev.clpipe.nn.onnx.proto.Onnx.OperatorSetIdProto;
import dev.clpipe.nn.onnx.proto.Onnx.TensorProto;
import dev.clpipe.nn.onnx.proto.Onnx.TensorShapeProto;
import dev.clpipe.nn.onnx.proto.Onnx.TypeProto;
import dev.clpipe.nn.onnx.proto.Onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes any clpipe {@link Graph} (imported from ONNX or TF.js, or built from a trained model by
 * {@link dev.clpipe.nn.graph.SpecGraph}) as an opset-17 ONNX model with an NCHW input {@code input [batch, C, H, W]}.
 * The graph is NHWC inside; every activation keeps the rank ONNX gives it (4 for maps, 2 after a
 * dense node), so conv HWIO weights become OIHW, dense rows are reordered from the graph's NHWC
 * flattening to ONNX's NCHW one, per-channel constants of a map are {@code [C, 1, 1]}.
 */
public final class OnnxExporter {
    public static final int OPSET = 17;

    private final Graph graph;
    private final GraphProto.Builder out = GraphProto.newBuilder().setName("clpipe");
    /** The ONNX tensor holding each graph node's activation, and its rank (4: NCHW map, 2: [N, F]). */
    private final String[] tensor;
    private final int[] rank;
    /** The NHWC map a value holds in memory: a Flatten node's input shape (ONNX keeps the NCHW map until the dense node). */
    private final Shape[] map;

    private OnnxExporter(Graph graph) {
        this.graph = graph;
        this.tensor = new String[graph.nodes().size()];
        this.rank = new int[graph.nodes().size()];
        this.map = new Shape[graph.nodes().size()];
    }

    /**
     * The ONNX bytes of {@code graph}; its outputs are named {@code outputNames} (one per graph
     * output); {@code flatOutputs} flattens every output to {@code [batch, features]}.
     */
    public static byte[] export(Graph graph, List<String> outputNames, boolean flatOutputs) {
        if (outputNames.size() != graph.outputs().size()) {
            throw new IllegalArgumentException(outputNames.size() + " output names for " + graph.outputs().size() + " graph outputs");
        }
        OnnxExporter e = new OnnxExporter(graph);
        Shape in = graph.inputDims();
        e.out.addInput(tensorInfo("input", in.channels(), in.height(), in.width()));
        for (int i = 0; i < graph.nodes().size(); i++) e.node(i, graph.nodes().get(i));
        for (int k = 0; k < outputNames.size(); k++) {
            int n = graph.outputs().get(k);
            String y = e.tensor[n];
            Shape d = graph.nodes().get(n).out();
            if (e.flattenedMap(n)) throw new IllegalArgumentException(graph.nodes().get(n).name() + ": a flattened map as output has no ONNX form (NHWC order)");
            boolean flat = e.rank[n] == 2 || flatOutputs;
            if (e.rank[n] == 4 && flat) y = e.op("Flatten", outputNames.get(k) + "/flatten", List.of(y));
            e.out.addNode(NodeProto.newBuilder().setOpType("Identity").setName(outputNames.get(k)).addInput(y).addOutput(outputNames.get(k)));
            e.out.addOutput(flat ? tensorInfo(outputNames.get(k), d.size()) : tensorInfo(outputNames.get(k), d.channels(), d.height(), d.width()));
        }
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("clpipe").setProducerVersion("0.1.0")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(OPSET)).setGraph(e.out).build().toByteArray();
    }

    /** The ONNX bytes of an imported model, under its own input and output names' order (NCHW in, the same output shapes). */
    public static byte[] export(OnnxNetwork net) {
        return export(net.graph(), net.outputs().stream().map(OnnxNetwork.Output::name).toList(), false);
    }

    /** The ONNX bytes of a trained model {@code spec} with {@code params} by name: output {@code logits [batch, classes]}. */
    public static byte[] export(ModelSpec spec, Map<String, float[]> params) {
        return export(SpecGraph.compile(spec, params), List.of("logits"), true);
    }

    /** Every parameter of {@code net} read back from the device, by name. */
    public static Map<String, float[]> parameters(dev.clpipe.nn.Network net) {
        Map<String, float[]> params = new java.util.LinkedHashMap<>();
        for (dev.clpipe.nn.Param p : net.params()) params.put(p.name(), p.value().readFloats(net.context().queue()));
        return params;
    }

    private void node(int i, Node n) {
        if (n instanceof Node.Input) {
            tensor[i] = "input";
            rank[i] = 4;
            map[i] = n.out();
            return;
        }
        if (n instanceof Node.Flatten || n instanceof Node.Dropout) { // layout no-op / identity in inference
            int from = n.inputs().get(0);
            tensor[i] = tensor[from];
            rank[i] = rank[from];
            map[i] = map[from];
            return;
        }
        int r = n.inputs().isEmpty() ? 4 : rank[n.inputs().get(0)];
        String x = n.inputs().isEmpty() ? null : tensor[n.inputs().get(0)];
        String y;
        if (flattenedMap(n.inputs().get(0)) && !(n instanceof Node.Dense)) {
            throw new IllegalArgumentException(n.name() + ": reads a flattened map; only a dense node may (ONNX keeps the map NCHW)");
        }
        if (n instanceof Node.Conv c) y = conv(c, x);
        else if (n instanceof Node.ConvTranspose t) y = convTranspose(t, x);
        else if (n instanceof Node.Resize z) y = resize(z, x);
        else if (n instanceof Node.BatchNorm b) y = op("BatchNormalization", b.name(), List.of(x, floats(b.name() + ".weight", b.gamma(), b.gamma().length),
                floats(b.name() + ".bias", b.beta(), b.beta().length), floats(b.name() + ".running_mean", b.mean(), b.mean().length),
                floats(b.name() + ".running_var", b.var(), b.var().length)), floatAttr("epsilon", b.eps()));
        else if (n instanceof Node.Affine a) y = affine(a, x, r);
        else if (n instanceof Node.Act a) y = act(a, x);
        else if (n instanceof Node.Pool p) {
            PoolWindow w = p.window();
            List<AttributeProto> window = new ArrayList<>(List.of(ints("kernel_shape", w.kernelH(), w.kernelW()),
                    ints("strides", w.strideH(), w.strideW()), ints("pads", w.padTop(), w.padLeft(), w.padBottom(), w.padRight())));
            if (p.mode() == Pool2d.Mode.AVERAGE) window.add(ints("count_include_pad", p.countPad() ? 1 : 0)); // MaxPool has no such attribute
            y = op(p.mode() == Pool2d.Mode.MAX ? "MaxPool" : "AveragePool", p.name(), List.of(x), window.toArray(AttributeProto[]::new));
        } else if (n instanceof Node.Sum s) y = op(s.inputs().size() == 2 ? "Add" : "Sum", s.name(), names(s.inputs()));
        else if (n instanceof Node.Dense d) y = dense(d, x, r, r == 4 ? map[d.input()] : d.in());
        else if (n instanceof Node.GlobalAvgPool p) y = op("GlobalAveragePool", p.name(), List.of(x));
        else if (n instanceof Node.Concat c) y = op("Concat", c.name(), names(c.inputs()), ints("axis", 1));
        else if (n instanceof Node.Softmax s) y = op("Softmax", s.name(), List.of(x), ints("axis", 1));
        else if (n instanceof Node.ZeroPad z) {
            ZeroPadNhwc.Pads p = z.pads(); // ONNX pads: all begins (N, C, H, W), then all ends
            y = op("Pad", z.name(), List.of(x, longs(z.name() + ".pads", 0, 0, p.top(), p.left(), 0, p.channels(), p.bottom(), p.right())));
        } else throw new IllegalArgumentException(n.name() + ": node " + n.getClass().getSimpleName() + " has no ONNX export");
        boolean spatial = n instanceof Node.Conv || n instanceof Node.ConvTranspose || n instanceof Node.Resize || n instanceof Node.Pool
                || n instanceof Node.ZeroPad || n instanceof Node.GlobalAvgPool;
        if (r == 2 && spatial) {
            throw new IllegalArgumentException(n.name() + ": a spatial node after a dense one has no ONNX form");
        }
        for (int in : n.inputs()) {
            if (rank[in] != r) throw new IllegalArgumentException(n.name() + ": reads a map and a flat vector together");
        }
        tensor[i] = y;
        rank[i] = n instanceof Node.Dense ? 2 : spatial ? 4 : r;
        map[i] = n.out();
    }

    /** Whether node {@code i} is a map flattened (NHWC order in clpipe, still the NCHW map in ONNX). */
    private boolean flattenedMap(int i) {
        return !map[i].equals(graph.nodes().get(i).out());
    }

    private List<String> names(List<Integer> nodes) {
        return nodes.stream().map(k -> tensor[k]).toList();
    }

    private String conv(Node.Conv c, String x) {
        int kh = c.kernelH(), kw = c.kernelW(), co = c.out().channels(), ci = c.in().channels() / c.groups();
        float[] hwio = c.weights(), oihw = new float[hwio.length];
        for (int o = 0; o < co; o++) for (int i = 0; i < ci; i++) for (int ky = 0; ky < kh; ky++) for (int kx = 0; kx < kw; kx++) {
            oihw[((o * ci + i) * kh + ky) * kw + kx] = hwio[((ky * kw + kx) * ci + i) * co + o];
        }
        List<String> ins = new ArrayList<>(List.of(x, floats(c.name() + ".weight", oihw, co, ci, kh, kw)));
        if (c.bias() != null) ins.add(floats(c.name() + ".bias", c.bias(), co));
        int[] p = c.pads(); // {top, bottom, left, right}; ONNX: {top, left, bottom, right}
        return op("Conv", c.name(), ins, ints("kernel_shape", kh, kw), ints("strides", c.strideH(), c.strideW()),
                ints("pads", p[0], p[2], p[1], p[3]), ints("group", c.groups()));
    }

    /** Weights {@code [kh][kw][in][out]} back to ONNX's {@code [in][out][kh][kw]}. */
    private String convTranspose(Node.ConvTranspose t, String x) {
        ConvTransposeWindow w = t.window();
        int kh = w.kernelH(), kw = w.kernelW(), ci = t.in().channels(), co = t.out().channels();
        float[] hwio = t.weights(), iohw = new float[hwio.length];
        for (int i = 0; i < ci; i++) for (int o = 0; o < co; o++) for (int ky = 0; ky < kh; ky++) for (int kx = 0; kx < kw; kx++) {
            iohw[((i * co + o) * kh + ky) * kw + kx] = hwio[((ky * kw + kx) * ci + i) * co + o];
        }
        return op("ConvTranspose", t.name(), List.of(x, floats(t.name() + ".weight", iohw, ci, co, kh, kw), floats(t.name() + ".bias", t.bias(), co)),
                ints("kernel_shape", kh, kw), ints("strides", w.strideH(), w.strideW()), ints("dilations", w.dilationH(), w.dilationW()),
                ints("pads", w.padTop(), w.padLeft(), w.padBottom(), w.padRight()), ints("output_padding", w.outPadH(), w.outPadW()));
    }

    /** Resize with scales 1 / step, nudged so that ONNX's floor(in * scale) is the node's output size. */
    private String resize(Node.Resize z, String x) {
        float sh = scaleFor(z.in().height(), z.out().height(), z.stepH()), sw = scaleFor(z.in().width(), z.out().width(), z.stepW());
        String scales = floats(z.name() + ".scales", new float[] {1, 1, sh, sw}, 4);
        return z.mode() == Upsample.Mode.NEAREST
                ? op("Resize", z.name(), List.of(x, "", scales), string("mode", "nearest"), string("coordinate_transformation_mode", "asymmetric"),
                        string("nearest_mode", "floor"))
                : op("Resize", z.name(), List.of(x, "", scales), string("mode", "linear"), string("coordinate_transformation_mode", "half_pixel"));
    }

    private static float scaleFor(int in, int out, float step) {
        float scale = (float) (1.0 / step);
        while ((int) Math.floor(in * (double) scale) < out) scale = Math.nextUp(scale);
        while ((int) Math.floor(in * (double) scale) > out) scale = Math.nextDown(scale);
        return scale;
    }

    /** (x - sub) * mul + add as Sub, Mul, Add of per-channel constants, leaving out the ones that do nothing. */
    private String affine(Node.Affine a, String x, int r) {
        int c = a.out().channels();
        long[] dims = r == 4 ? new long[] {c, 1, 1} : new long[] {c};
        boolean any = false;
        if (!allEqual(a.sub(), 0)) {
            x = op("Sub", a.name() + "/sub", List.of(x, floats(a.name() + ".sub", a.sub(), dims)));
            any = true;
        }
        if (!allEqual(a.mul(), 1)) {
            x = op("Mul", a.name() + "/mul", List.of(x, floats(a.name() + ".mul", a.mul(), dims)));
            any = true;
        }
        if (!allEqual(a.add(), 0) || !any) x = op("Add", a.name() + "/add", List.of(x, floats(a.name() + ".add", a.add(), dims)));
        return x;
    }

    private String act(Node.Act a, String x) {
        return switch (a.kind()) {
            case RELU -> op("Relu", a.name(), List.of(x));
            case RELU6 -> op("Clip", a.name(), List.of(x, floats(a.name() + ".min", new float[] {0}), floats(a.name() + ".max", new float[] {6})));
            case LEAKY_RELU -> op("LeakyRelu", a.name(), List.of(x), floatAttr("alpha", a.slope()));
            case SIGMOID -> op("Sigmoid", a.name(), List.of(x));
            case TANH -> op("Tanh", a.name(), List.of(x));
            case HARD_SIGMOID -> op("HardSigmoid", a.name(), List.of(x), floatAttr("alpha", a.slope()), floatAttr("beta", 0.5f));
            case HARD_SWISH -> op("HardSwish", a.name(), List.of(x));
        };
    }

    /** Gemm with B {@code [in, out]}; a map input {@code in} is flattened first and B's rows follow its NCHW flattening. */
    private String dense(Node.Dense d, String x, int r, Shape in) {
        int rows = in.size(), cols = d.out().channels(), c = in.channels(), hw = in.pixels();
        float[] w = d.weights(), b = new float[w.length];
        for (int p = 0; p < hw; p++) for (int ch = 0; ch < c; ch++) {
            System.arraycopy(w, (p * c + ch) * cols, b, (ch * hw + p) * cols, cols); // graph row NHWC-flat -> ONNX row NCHW-flat
        }
        if (r == 4) x = op("Flatten", d.name() + "/flatten", List.of(x));
        List<String> ins = new ArrayList<>(List.of(x, floats(d.name() + ".weight", b, rows, cols)));
        if (d.bias() != null) ins.add(floats(d.name() + ".bias", d.bias(), cols));
        return op("Gemm", d.name(), ins);
    }

    private String op(String type, String name, List<String> inputs, AttributeProto... attributes) {
        String y = name + ":0";
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(type).setName(name).addAllInput(inputs).addOutput(y);
        for (AttributeProto a : attributes) n.addAttribute(a);
        out.addNode(n);
        return y;
    }

    private String floats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return initializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(b.array())), dims);
    }

    private String longs(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putLong(v);
        return initializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).setRawData(ByteString.copyFrom(b.array())),
                values.length);
    }

    private String initializer(TensorProto.Builder t, long... dims) {
        for (long d : dims) t.addDims(d);
        out.addInitializer(t);
        return t.getName();
    }

    private static boolean allEqual(float[] v, float x) {
        for (float f : v) if (f != x) return false;
        return true;
    }

    private static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(value)).build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (values.length == 1) return a.setType(AttributeProto.AttributeType.INT).setI(values[0]).build();
        a.setType(AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    private static ValueInfoProto tensorInfo(String name, int... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (int d : dims) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }
}
