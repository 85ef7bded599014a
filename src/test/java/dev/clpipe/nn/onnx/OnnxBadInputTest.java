package dev.clpipe.nn.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.clpipe.nn.graph.GraphReference;
import dev.clpipe.nn.onnx.proto.Onnx.AttributeProto;
import dev.clpipe.nn.onnx.proto.Onnx.GraphProto;
import dev.clpipe.nn.onnx.proto.Onnx.ModelProto;
import dev.clpipe.nn.onnx.proto.Onnx.NodeProto;
import dev.clpipe.nn.onnx.proto.Onnx.OperatorSetIdProto;
import dev.clpipe.nn.onnx.proto.Onnx.StringStringEntryProto;
import dev.clpipe.nn.onnx.proto.Onnx.TensorProto;
import dev.clpipe.nn.onnx.proto.Onnx.TensorShapeProto;
import dev.clpipe.nn.onnx.proto.Onnx.TypeProto;
import dev.clpipe.nn.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The importer's refusals, on models built here with the generated protobuf classes: each names
 * the file and the node or tensor; malformed files are {@link OnnxFormatException} (exit 4),
 * unsupported operators {@link UnsupportedOnnxException} (exit 2). Also the BatchNormalization
 * that no convolution absorbs, external data read right, and Flatten over a map (NCHW row order).
 */
class OnnxBadInputTest {
    @TempDir
    Path dir;

    // ---- a 1x2x3x3 input, a 1x1 conv with weight w, and whatever nodes a test adds ----

    static ValueInfoProto input(Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            shape.addDim(d instanceof String s ? TensorShapeProto.Dimension.newBuilder().setDimParam(s) : TensorShapeProto.Dimension.newBuilder().setDimValue((Integer) d));
        }
        return ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    static TensorProto floats(String name, long[] dims, float... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) t.addDims(d);
        for (float f : v) t.addFloatData(f);
        return t.build();
    }

    static ByteString raw(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return ByteString.copyFrom(b.array());
    }

    static NodeProto node(String op, String name, String out, String... in) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(Arrays.asList(in)).addOutput(out).build();
    }

    static ModelProto model(long opset, ValueInfoProto in, GraphProto.Builder graph, String output) {
        graph.addInput(in).addOutput(ValueInfoProto.newBuilder().setName(output));
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset)).setGraph(graph).build();
    }

    /** x -> Conv(w: 2->2 1x1, weights 1,2,3,4) -> y. */
    static GraphProto.Builder conv() {
        return GraphProto.newBuilder().addInitializer(floats("w", new long[] {2, 2, 1, 1}, 1, 2, 3, 4)).addNode(node("Conv", "conv", "y", "x", "w"));
    }

    Path write(ModelProto m) throws IOException {
        Path f = dir.resolve("m.onnx");
        Files.write(f, m.toByteArray());
        return f;
    }

    OnnxFormatException bad(ModelProto m) throws IOException {
        Path f = write(m);
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxImporter.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e;
    }

    @Test
    void aWellFormedModelImportsAndComputes() throws Exception {
        OnnxNetwork net = OnnxImporter.read(write(model(13, input("N", 2, 3, 3), conv(), "y")));
        assertArrayEquals(new int[] {2, 3, 3}, net.inputShape());
        float[] x = new float[18];
        for (int i = 0; i < 18; i++) x[i] = i; // channel 0 = 0..8, channel 1 = 9..17
        float[] y = net.fromGraphOutput(0, GraphReference.run(net.graph(), net.toGraphInput(x, 1), 1)[0], 1);
        for (int p = 0; p < 9; p++) {
            assertEquals(1 * p + 2 * (9 + p), y[p], 1e-5);
            assertEquals(3 * p + 4 * (9 + p), y[9 + p], 1e-5);
        }
    }

    @Test
    void truncatedOrForeignFilesAreDataErrors() throws Exception {
        byte[] good = model(13, input(1, 2, 3, 3), conv(), "y").toByteArray();
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(good, good.length - 7));
        assertTrue(assertThrows(OnnxFormatException.class, () -> OnnxImporter.read(cut)).getMessage().startsWith(cut.toString()));
        Path text = dir.resolve("text.onnx");
        Files.writeString(text, "name: not a model\n");
        assertTrue(assertThrows(OnnxFormatException.class, () -> OnnxImporter.read(text)).getMessage().contains("not an ONNX model"));
        Path missing = dir.resolve("absent.onnx");
        assertTrue(assertThrows(OnnxFormatException.class, () -> OnnxImporter.read(missing)).getMessage().contains("absent.onnx"));
    }

    @Test
    void opsetsOutsideThirteenToSeventeenAreRefused() throws Exception {
        assertTrue(bad(model(12, input(1, 2, 3, 3), conv(), "y")).getMessage().contains("opset 12 is out of the supported range 13-17"));
        assertTrue(bad(model(18, input(1, 2, 3, 3), conv(), "y")).getMessage().contains("opset 18"));
    }

    @Test
    void dynamicSpatialDimensionsAreRefused() throws Exception {
        assertTrue(bad(model(13, input("N", 2, "height", 3), conv(), "y")).getMessage().contains("dynamic height dimension 'height'"));
    }

    @Test
    void tensorBytesMustMatchTheShape() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder().addInitializer(TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(java.util.List.of(2L, 2L, 1L, 1L)).setRawData(raw(1, 2, 3))).addNode(node("Conv", "conv", "y", "x", "w"));
        String m = bad(model(13, input(1, 2, 3, 3), g, "y")).getMessage();
        assertTrue(m.contains("tensor 'w' holds 12 bytes but its shape [2, 2, 1, 1] of float needs 16"), m);
        GraphProto.Builder typed = GraphProto.newBuilder().addInitializer(floats("w", new long[] {2, 2, 1, 1}, 1, 2, 3)).addNode(node("Conv", "conv", "y", "x", "w"));
        assertTrue(bad(model(13, input(1, 2, 3, 3), typed, "y")).getMessage().contains("holds 3 values"));
    }

    static TensorProto external(String location) {
        return TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE).addAllDims(java.util.List.of(2L, 2L, 1L, 1L))
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue("4")).build();
    }

    @Test
    void externalDataIsReadFromTheModelsFolderOnly() throws Exception {
        Files.write(dir.resolve("weights.bin"), raw(99, 1, 2, 3, 4).toByteArray());
        GraphProto.Builder ok = GraphProto.newBuilder().addInitializer(external("weights.bin")).addNode(node("Conv", "conv", "y", "x", "w"));
        OnnxNetwork net = OnnxImporter.read(write(model(13, input(1, 2, 3, 3), ok, "y")));
        float[] y = GraphReference.run(net.graph(), net.toGraphInput(new float[18], 1), 1)[0];
        assertEquals(18, y.length);
        GraphProto.Builder absent = GraphProto.newBuilder().addInitializer(external("nothing.bin")).addNode(node("Conv", "conv", "y", "x", "w"));
        assertTrue(bad(model(13, input(1, 2, 3, 3), absent, "y")).getMessage().contains("does not exist"));
        Files.write(dir.getParent().resolve("outside.bin"), raw(0, 1, 2, 3, 4).toByteArray());
        GraphProto.Builder escape = GraphProto.newBuilder().addInitializer(external("../outside.bin")).addNode(node("Conv", "conv", "y", "x", "w"));
        assertTrue(bad(model(13, input(1, 2, 3, 3), escape, "y")).getMessage().contains("outside the model's folder"));
        GraphProto.Builder shortFile = GraphProto.newBuilder().addInitializer(external("short.bin")).addNode(node("Conv", "conv", "y", "x", "w"));
        Files.write(dir.resolve("short.bin"), raw(1, 2).toByteArray());
        assertTrue(bad(model(13, input(1, 2, 3, 3), shortFile, "y")).getMessage().contains("tensor 'w' wants bytes 4..20"));
    }

    @Test
    void unsupportedOperatorsAreNamedWithTheirNode() throws Exception {
        GraphProto.Builder g = conv().addNode(node("LSTM", "rnn/lstm", "z", "y"));
        Path f = write(model(13, input(1, 2, 3, 3), g, "z"));
        String m = assertThrows(UnsupportedOnnxException.class, () -> OnnxImporter.read(f)).getMessage();
        assertTrue(m.startsWith(f + ": node 'rnn/lstm' (LSTM): operator LSTM is not supported"), m);
        GraphProto.Builder clip = conv().addInitializer(floats("lo", new long[0], -1)).addInitializer(floats("hi", new long[0], 1))
                .addNode(node("Clip", "clamp", "z", "y", "lo", "hi"));
        Path f2 = write(model(13, input(1, 2, 3, 3), clip, "z"));
        assertTrue(assertThrows(UnsupportedOnnxException.class, () -> OnnxImporter.read(f2)).getMessage().contains("node 'clamp' (Clip): Clip to [-1.0, 1.0]"));
    }

    /** What the graph still cannot run is refused naming node and operator (exit 2), not mis-imported. */
    @Test
    void operatorsAndAttributesStillUnmappedAreRefused() throws Exception {
        Object[][] cases = { // operator, its attributes (name, value), the refusal
            {"ConvTranspose", new Object[] {"group", 2L}, "ConvTranspose with group 2"},
            {"ConvTranspose", new Object[] {"output_shape", new long[] {6, 6}}, "ConvTranspose with output_shape"},
            {"Resize", new Object[] {"mode", "cubic"}, "Resize mode 'cubic'"},
            {"Resize", new Object[] {"mode", "linear", "coordinate_transformation_mode", "align_corners"}, "linear Resize with coordinate_transformation_mode 'align_corners'"},
            {"Resize", new Object[] {"mode", "nearest"}, "nearest Resize with coordinate_transformation_mode 'half_pixel' and nearest_mode 'round_prefer_floor'"},
        };
        for (Object[] c : cases) {
            String op = (String) c[0];
            NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName("up").addInput("y").addOutput("z");
            if (op.equals("Resize")) n.addInput("").addInput("scales");
            else n.addInput("wt");
            Object[] attrs = (Object[]) c[1];
            for (int k = 0; k < attrs.length; k += 2) {
                AttributeProto.Builder a = AttributeProto.newBuilder().setName((String) attrs[k]);
                if (attrs[k + 1] instanceof Long v) a.setType(AttributeProto.AttributeType.INT).setI(v);
                else if (attrs[k + 1] instanceof long[] v) a.setType(AttributeProto.AttributeType.INTS).addAllInts(Arrays.stream(v).boxed().toList());
                else a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8((String) attrs[k + 1]));
                n.addAttribute(a);
            }
            GraphProto.Builder g = conv().addInitializer(floats("wt", new long[] {2, 1, 2, 2}, new float[8]))
                    .addInitializer(floats("scales", new long[] {4}, 1, 1, 2, 2)).addNode(n);
            Path f = write(model(17, input(1, 2, 3, 3), g, "z"));
            String m = assertThrows(UnsupportedOnnxException.class, () -> OnnxImporter.read(f)).getMessage();
            assertTrue(m.startsWith(f + ": node 'up' (" + op + "): " + c[2]), m);
        }
        GraphProto.Builder softmax = conv().addNode(NodeProto.newBuilder().setOpType("Softmax").setName("sm").addInput("y").addOutput("z")
                .addAttribute(AttributeProto.newBuilder().setName("axis").setI(3).setType(AttributeProto.AttributeType.INT)).build());
        Path f = write(model(17, input(1, 2, 3, 3), softmax, "z"));
        assertTrue(assertThrows(UnsupportedOnnxException.class, () -> OnnxImporter.read(f)).getMessage().contains("node 'sm' (Softmax): Softmax on axis 3"));
        GraphProto.Builder concat = conv().addNode(NodeProto.newBuilder().setOpType("Concat").setName("cat").addInput("y").addInput("y").addOutput("z")
                .addAttribute(AttributeProto.newBuilder().setName("axis").setI(2).setType(AttributeProto.AttributeType.INT)).build());
        Path f2 = write(model(17, input(1, 2, 3, 3), concat, "z"));
        assertTrue(assertThrows(UnsupportedOnnxException.class, () -> OnnxImporter.read(f2)).getMessage().contains("node 'cat' (Concat): Concat on axis 2"));
        GraphProto.Builder hard = conv().addNode(NodeProto.newBuilder().setOpType("HardSigmoid").setName("hs").addInput("y").addOutput("z")
                .addAttribute(AttributeProto.newBuilder().setName("beta").setF(0.3f).setType(AttributeProto.AttributeType.FLOAT)).build());
        Path f3 = write(model(17, input(1, 2, 3, 3), hard, "z"));
        assertTrue(assertThrows(UnsupportedOnnxException.class, () -> OnnxImporter.read(f3)).getMessage().contains("HardSigmoid with beta 0.3"));
    }

    @Test
    void aNodeReadingAnUnknownValueIsADataError() throws Exception {
        GraphProto.Builder g = conv().addNode(node("Relu", "act", "z", "nowhere"));
        assertTrue(bad(model(13, input(1, 2, 3, 3), g, "z")).getMessage().contains("node 'act' (Relu): reads 'nowhere'"));
    }

    @Test
    void batchNormAfterANonConvolutionAndGemmAfterFlattenFollowOnnxSemantics() throws Exception {
        // x -> Relu -> BatchNormalization -> Flatten -> Gemm(transB): the Gemm's columns are in NCHW-flat order.
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInitializer(floats("s", new long[] {2}, 2, 3)).addInitializer(floats("b", new long[] {2}, 1, -1))
                .addInitializer(floats("m", new long[] {2}, 0.5f, 0)).addInitializer(floats("v", new long[] {2}, 1, 4))
                .addInitializer(floats("fc", new long[] {1, 18}, new float[18]))
                .addNode(node("Relu", "relu", "r", "x"))
                .addNode(NodeProto.newBuilder().setOpType("BatchNormalization").setName("bn").addAllInput(Arrays.asList("r", "s", "b", "m", "v")).addOutput("n")
                        .addAttribute(AttributeProto.newBuilder().setName("epsilon").setF(0).setType(AttributeProto.AttributeType.FLOAT)).build())
                .addNode(node("Flatten", "flat", "f", "n"))
                .addNode(NodeProto.newBuilder().setOpType("Gemm").setName("fc").addInput("f").addInput("fc").addOutput("z")
                        .addAttribute(AttributeProto.newBuilder().setName("transB").setI(1).setType(AttributeProto.AttributeType.INT)).build());
        float[] fc = new float[18];
        fc[9 + 4] = 1; // channel 1, pixel (1, 1) in NCHW-flat order
        g.setInitializer(4, floats("fc", new long[] {1, 18}, fc));
        OnnxNetwork net = OnnxImporter.read(write(model(17, input(1, 2, 3, 3), g, "z")));
        float[] x = new float[18];
        x[9 + 4] = 5; // channel 1, pixel (1, 1)
        float[] z = GraphReference.run(net.graph(), net.toGraphInput(x, 1), 1)[0];
        assertEquals(1, z.length);
        assertEquals((5 - 0) * 3 / 2f - 1, z[0], 1e-5); // (x - mean) * gamma / sqrt(var) + beta
    }
}
