package dev.clpipe.nn.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.GraphReference;
import dev.clpipe.nn.io.TfjsFormatException;
import dev.clpipe.testing.Tolerance;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TF.js graph-model importer on small hand-made model.json files: the element-wise ops it
 * rewrites into relu/affine/add nodes (Maximum, Minimum, Abs, the PReLU pattern, Sub with the
 * constant first, relu-then-min(6) as relu6), convolution with TensorFlow 'same' padding, and the
 * refusals (unknown op, missing or truncated files) that name the file and node. Values are
 * checked against the formulas evaluated per element here.
 */
class TfjsGraphImporterTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Builds model.json + model.bin: float32 constants in insertion order, nodes as given. */
    private final class ModelFile {
        final ObjectNode root = JSON.createObjectNode();
        final ArrayNode nodes = root.putObject("modelTopology").putArray("node");
        final Map<String, float[]> consts = new LinkedHashMap<>();
        final Map<String, int[]> shapes = new LinkedHashMap<>();

        ModelFile input(int h, int w, int c) {
            ObjectNode n = nodes.addObject().put("name", "x").put("op", "Placeholder");
            ArrayNode dim = n.putObject("attr").putObject("shape").putObject("shape").putArray("dim");
            for (int d : new int[] {-1, h, w, c}) dim.addObject().put("size", String.valueOf(d));
            return this;
        }

        ModelFile constant(String name, int[] shape, float... values) {
            nodes.addObject().put("name", name).put("op", "Const");
            consts.put(name, values);
            shapes.put(name, shape);
            return this;
        }

        ObjectNode node(String name, String op, String... inputs) {
            ObjectNode n = nodes.addObject().put("name", name).put("op", op);
            ArrayNode in = n.putArray("input");
            for (String i : inputs) in.add(i);
            n.putObject("attr");
            return n;
        }

        Path write() throws Exception {
            ObjectNode group = root.putArray("weightsManifest").addObject();
            group.putArray("paths").add("model.bin");
            ArrayNode weights = group.putArray("weights");
            int total = consts.values().stream().mapToInt(v -> v.length).sum();
            ByteBuffer b = ByteBuffer.allocate(total * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (var e : consts.entrySet()) {
                ObjectNode w = weights.addObject().put("name", e.getKey()).put("dtype", "float32");
                ArrayNode s = w.putArray("shape");
                for (int d : shapes.get(e.getKey())) s.add(d);
                for (float f : e.getValue()) b.putFloat(f);
            }
            Files.write(dir.resolve("model.bin"), b.array());
            Path file = dir.resolve("model.json");
            JSON.writeValue(file.toFile(), root);
            return file;
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i * 7 % 23) - 11.5f; // both signs, above 6 and below -6
        return v;
    }

    private float[] runElementwise(String op, String secondInput, boolean constFirst) throws Exception {
        ModelFile m = new ModelFile().input(3, 4, 2).constant("k", new int[0], 2.5f);
        if (constFirst) m.node("y", op, secondInput, "x");
        else m.node("y", op, "x", secondInput);
        Graph g = TfjsGraphImporter.importGraph(TfjsGraphModel.read(m.write()), "y", new float[2], 1f);
        return GraphReference.run(g, ramp(24), 1)[0];
    }

    private static void assertPerElement(float[] got, DoubleUnaryOperator f, String what) {
        float[] x = ramp(got.length), want = new float[got.length];
        for (int i = 0; i < x.length; i++) want[i] = (float) f.applyAsDouble(x[i]);
        Tolerance.FLOAT.assertClose(got, want, what);
    }

    @Test
    void elementwiseOpsWithAScalarMatchTheirFormulas() throws Exception {
        assertPerElement(runElementwise("Maximum", "k", false), v -> Math.max(v, 2.5), "max(x, 2.5)");
        assertPerElement(runElementwise("Minimum", "k", true), v -> Math.min(v, 2.5), "min(2.5, x)");
        assertPerElement(runElementwise("Sub", "k", true), v -> 2.5 - v, "2.5 - x");
        assertPerElement(runElementwise("Sub", "k", false), v -> v - 2.5, "x - 2.5");
        assertPerElement(runElementwise("Mul", "k", true), v -> 2.5 * v, "2.5 * x");
        assertPerElement(runElementwise("AddV2", "k", false), v -> v + 2.5, "x + 2.5");
    }

    @Test
    void preluWrittenWithAbsImportsExactly() throws Exception {
        // mobilefacenet's form: relu(x) + a * (x - |x|), a per channel
        ModelFile m = new ModelFile().input(3, 4, 2).constant("a", new int[] {2}, 0.125f, 0.75f);
        m.node("r", "Relu", "x");
        m.node("abs", "Abs", "x");
        m.node("sub", "Sub", "x", "abs");
        m.node("mul", "Mul", "sub", "a");
        m.node("y", "Add", "r", "mul");
        float[] got = GraphReference.run(TfjsGraphImporter.importGraph(TfjsGraphModel.read(m.write()), "y", new float[2], 1f), ramp(24), 1)[0];
        float[] x = ramp(24), want = new float[24];
        for (int i = 0; i < 24; i++) want[i] = Math.max(x[i], 0) + (i % 2 == 0 ? 0.125f : 0.75f) * (x[i] - Math.abs(x[i]));
        Tolerance.FLOAT.assertClose(got, want, "prelu");
    }

    @Test
    void reluThenMinimumSixIsRelu6AndMaximumZeroAfterItIsDropped() throws Exception {
        ModelFile m = new ModelFile().input(3, 4, 2).constant("six", new int[0], 6f).constant("zero", new int[0], 0f);
        m.node("r", "Relu", "x");
        m.node("m", "Minimum", "r", "six");
        m.node("y", "Maximum", "m", "zero");
        Graph g = TfjsGraphImporter.importGraph(TfjsGraphModel.read(m.write()), "y", new float[2], 1f);
        assertPerElement(GraphReference.run(g, ramp(24), 1)[0], v -> Math.min(Math.max(v, 0), 6), "relu6");
    }

    @Test
    void convolutionUsesTensorFlowSamePaddingAndFusedBiasRelu() throws Exception {
        // 1x1 input channel, 3x3 kernel of ones, stride 2 on 4x4: 'same' pads 0 before and 1 after
        float[] ones = new float[9];
        java.util.Arrays.fill(ones, 1f);
        ModelFile m = new ModelFile().input(4, 4, 1).constant("w", new int[] {3, 3, 1, 1}, ones).constant("b", new int[] {1}, -20f);
        ObjectNode c = m.node("y", "_FusedConv2D", "x", "w", "b");
        ObjectNode attr = (ObjectNode) c.get("attr");
        attr.putObject("strides").putObject("list").putArray("i").add("1").add("2").add("2").add("1");
        attr.putObject("padding").put("s", b64("SAME"));
        attr.putObject("fused_ops").putObject("list").putArray("s").add(b64("BiasAdd")).add(b64("Relu"));
        Graph g = TfjsGraphImporter.importGraph(TfjsGraphModel.read(m.write()), "y", new float[1], 1f);
        float[] in = new float[16];
        for (int i = 0; i < 16; i++) in[i] = i;
        float[] got = GraphReference.run(g, in, 1)[0];
        // windows rows/cols {0,1,2} and {2,3}: sums of in[r*4+c]
        float[] want = new float[4];
        int[][] spans = {{0, 1, 2}, {2, 3}};
        for (int oy = 0; oy < 2; oy++)
            for (int ox = 0; ox < 2; ox++) {
                float s = 0;
                for (int r : spans[oy]) for (int col : spans[ox]) s += in[r * 4 + col];
                want[oy * 2 + ox] = Math.max(0, s - 20);
            }
        Tolerance.FLOAT.assertClose(got, want, "conv same stride 2 + bias + relu");
    }

    @Test
    void inputNormalisationComesFirst() throws Exception {
        ModelFile m = new ModelFile().input(1, 1, 3);
        m.node("y", "Identity", "x");
        Graph g = TfjsGraphImporter.importGraph(TfjsGraphModel.read(m.write()), "y", new float[] {127.5f, 127.5f, 127.5f}, 1 / 128f);
        Tolerance.FLOAT.assertClose(GraphReference.run(g, new float[] {0, 127.5f, 255}, 1)[0], new float[] {-0.99609375f, 0, 0.99609375f}, "(x - 127.5) / 128");
    }

    @Test
    void unknownOpIsRefusedNamingFileNodeAndOp() throws Exception {
        ModelFile m = new ModelFile().input(2, 2, 1);
        m.node("y", "Tanh", "x");
        TfjsFormatException e = assertThrows(TfjsFormatException.class, () -> TfjsGraphImporter.importGraph(TfjsGraphModel.read(m.write()), "y", new float[1], 1f));
        assertTrue(e.getMessage().contains("model.json") && e.getMessage().contains("'y'") && e.getMessage().contains("Tanh"), e.getMessage());
        TfjsFormatException noNode = assertThrows(TfjsFormatException.class, () -> TfjsGraphImporter.importGraph(TfjsGraphModel.read(dir.resolve("model.json")), "z", new float[1], 1f));
        assertTrue(noNode.getMessage().contains("no node named 'z'"), noNode.getMessage());
    }

    @Test
    void missingOrTruncatedFilesAreRefusedNamingTheFile() throws Exception {
        TfjsFormatException missing = assertThrows(TfjsFormatException.class, () -> TfjsGraphModel.read(dir.resolve("absent.json")));
        assertTrue(missing.getMessage().contains("absent.json"), missing.getMessage());
        Path file = new ModelFile().input(2, 2, 1).constant("k", new int[] {4}, 1, 2, 3, 4).write();
        Files.write(dir.resolve("model.bin"), new byte[10]); // 16 needed
        TfjsFormatException truncated = assertThrows(TfjsFormatException.class, () -> TfjsGraphModel.read(file));
        assertTrue(truncated.getMessage().contains("model"), truncated.getMessage());
        Files.writeString(file, "{\"modelTopology\": 5");
        TfjsFormatException json = assertThrows(TfjsFormatException.class, () -> TfjsGraphModel.read(file));
        assertTrue(json.getMessage().contains("model.json") && json.getMessage().contains("not valid JSON"), json.getMessage());
        assertEquals(true, Files.exists(file));
    }
}
