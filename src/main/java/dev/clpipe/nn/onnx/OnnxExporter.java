package dev.clpipe.nn.onnx;

import com.google.protobuf.ByteString;
import dev.clpipe.nn.LayerSpec;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.onnx.proto.Onnx.AttributeProto;
import dev.clpipe.nn.onnx.proto.Onnx.GraphProto;
import dev.clpipe.nn.onnx.proto.Onnx.ModelProto;
import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import dev.clpipe.nn.onnx.proto.Onnx.OperatorSetIdProto;
import dev.clpipe.nn.onnx.proto.Onnx.TensorProto;
import dev.clpipe.nn.onnx.proto.Onnx.TensorShapeProto;
import dev.clpipe.nn.onnx.proto.Onnx.TypeProto;
import dev.clpipe.nn.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a clpipe model (its {@link ModelSpec} and trained parameters by name, as checkpoints
 * hold them) as an opset-17 ONNX model with an NCHW input {@code input [batch, C, H, W]} and
 * output {@code logits [batch, classes]}: conv HWIO weights become OIHW, dense weights' columns
 * are reordered from clpipe's NHWC flattening to ONNX's NCHW one, batch norm keeps its running
 * statistics, dropout disappears (inference).
 */
public final class OnnxExporter {
    public static final int OPSET = 17;

    private final Map<String, float[]> params;
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("clpipe");
    private int counter;
    private boolean flat;
    /** The map a Flatten layer flattened (its NHWC order is what the next dense layer's columns follow), or null. */
    private Shape flattened;

    private OnnxExporter(Map<String, float[]> params) {
        this.params = params;
    }

    /** The ONNX bytes of {@code spec} with {@code params} ({@code name.weight}, {@code name.bias}, batch-norm running stats). */
    public static byte[] export(ModelSpec spec, Map<String, float[]> params) {
        OnnxExporter e = new OnnxExporter(params);
        Shape in = spec.input();
        e.graph.addInput(tensorInfo("input", "batch", in.channels(), in.height(), in.width()));
        String y = e.layers(spec.layers(), "input", in);
        if (!e.flat) y = e.node("Flatten", "flatten_out", List.of(y));
        e.graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName("logits").addInput(y).addOutput("logits"));
        e.graph.addOutput(tensorInfo("logits", "batch", spec.output().size()));
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("clpipe").setProducerVersion("0.1.0")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(OPSET)).setGraph(e.graph).build().toByteArray();
    }

    /** Every parameter of {@code net} read back from the device, by name. */
    public static Map<String, float[]> parameters(dev.clpipe.nn.Network net) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (dev.clpipe.nn.Param p : net.params()) out.put(p.name(), p.value().readFloats(net.context().queue()));
        return out;
    }

    public static void write(ModelSpec spec, Map<String, float[]> params, Path file) throws IOException {
        Files.write(file, export(spec, params));
    }

    private String layers(List<LayerSpec> layers, String x, Shape in) {
        Shape shape = in;
        for (LayerSpec l : layers) {
            x = layer(l, x, shape);
            shape = l.output(shape);
        }
        return x;
    }

    private String layer(LayerSpec l, String x, Shape in) {
        if (l instanceof LayerSpec.Conv c) {
            float[] hwio = param(c.name() + ".weight", (long) c.kernel() * c.kernel() * in.channels() * c.filters());
            int k = c.kernel(), ci = in.channels(), co = c.filters();
            float[] oihw = new float[hwio.length];
            for (int o = 0; o < co; o++) for (int i = 0; i < ci; i++) for (int ky = 0; ky < k; ky++) for (int kx = 0; kx < k; kx++) {
                oihw[((o * ci + i) * k + ky) * k + kx] = hwio[((ky * k + kx) * ci + i) * co + o];
            }
            String w = initializer(c.name() + ".weight", oihw, co, ci, k, k);
            String b = initializer(c.name() + ".bias", param(c.name() + ".bias", co), co);
            return node("Conv", c.name(), List.of(x, w, b), ints("kernel_shape", k, k), ints("strides", c.stride(), c.stride()),
                    ints("pads", c.pad(), c.pad(), c.pad(), c.pad()));
        }
        if (l instanceof LayerSpec.Pool p) {
            if (!p.max() && p.pad() > 0) throw new IllegalArgumentException(p.name() + ": padded average pooling is not exported");
            return node(p.max() ? "MaxPool" : "AveragePool", p.name(), List.of(x), ints("kernel_shape", p.size(), p.size()),
                    ints("strides", p.stride(), p.stride()), ints("pads", p.pad(), p.pad(), p.pad(), p.pad()));
        }
        if (l instanceof LayerSpec.Act a) {
            return switch (a.kind()) {
                case RELU -> node("Relu", a.name(), List.of(x));
                case RELU6 -> node("Clip", a.name(), List.of(x, initializer(a.name() + ".min", new float[] {0}), initializer(a.name() + ".max", new float[] {6})));
                case LEAKY_RELU -> node("LeakyRelu", a.name(), List.of(x), AttributeProto.newBuilder().setName("alpha").setType(AttributeProto.AttributeType.FLOAT)
                        .setF(dev.clpipe.nn.ops.Activation.PYTORCH_LEAKY_SLOPE).build());
                case SIGMOID -> node("Sigmoid", a.name(), List.of(x));
                case TANH -> node("Tanh", a.name(), List.of(x));
                case HARD_SIGMOID, HARD_SWISH -> throw new IllegalArgumentException(a.name() + ": " + a.kind() + " is not a training layer");
            };
        }
        if (l instanceof LayerSpec.BatchNorm bn) {
            int c = in.channels();
            List<String> ins = new java.util.ArrayList<>(List.of(x));
            for (String s : new String[] {"weight", "bias", "running_mean", "running_var"}) ins.add(initializer(bn.name() + "." + s, param(bn.name() + "." + s, c), c));
            return node("BatchNormalization", bn.name(), ins, AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT).setF(bn.eps()).build());
        }
        if (l instanceof LayerSpec.Flatten f) {
            if (flat) return x;
            flat = true;
            flattened = in;
            return node("Flatten", f.name(), List.of(x));
        }
        if (l instanceof LayerSpec.Dropout) return x;
        if (l instanceof LayerSpec.Dense d) {
            Shape map = flattened != null ? flattened : in;
            flattened = null;
            int inputs = in.size(), units = d.units(), c = map.channels(), hw = map.height() * map.width();
            float[] w = param(d.name() + ".weight", (long) units * inputs);
            float[] onnx = new float[w.length]; // [units][inputs], columns in NCHW-flat order
            for (int u = 0; u < units; u++) for (int p = 0; p < hw; p++) for (int ch = 0; ch < c; ch++) {
                onnx[u * inputs + ch * hw + p] = w[u * inputs + p * c + ch];
            }
            if (!flat) {
                x = node("Flatten", d.name() + "/flatten", List.of(x));
                flat = true;
            }
            return node("Gemm", d.name(), List.of(x, initializer(d.name() + ".weight", onnx, units, inputs),
                    initializer(d.name() + ".bias", param(d.name() + ".bias", units), units)), ints("transB", 1));
        }
        if (l instanceof LayerSpec.Residual r) {
            String body = layers(r.body(), x, in);
            return node("Add", r.name(), List.of(x, body));
        }
        if (l instanceof LayerSpec.Concat c) {
            List<String> outs = new java.util.ArrayList<>();
            for (List<LayerSpec> branch : c.branches()) outs.add(layers(branch, x, in));
            return node("Concat", c.name(), outs, ints("axis", 1));
        }
        throw new IllegalArgumentException(l.name() + ": layer " + l.describe() + " has no ONNX export");
    }

    private float[] param(String name, long size) {
        float[] v = params.get(name);
        if (v == null) throw new IllegalArgumentException("no parameter '" + name + "' to export");
        if (v.length != size) throw new IllegalArgumentException("parameter '" + name + "' has " + v.length + " values, expected " + size);
        return v;
    }

    private String node(String op, String name, List<String> inputs, AttributeProto... attributes) {
        String out = name + ":" + (counter++);
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(out);
        for (AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
        return out;
    }

    private String initializer(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        graph.addInitializer(t);
        return name;
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (values.length == 1 && !name.equals("kernel_shape")) return a.setType(AttributeProto.AttributeType.INT).setI(values[0]).build();
        a.setType(AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    private static ValueInfoProto tensorInfo(String name, String batch, int... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (int d : dims) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }
}
