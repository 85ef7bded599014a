package dev.clpipe.nn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.GraphBuilder;
import dev.clpipe.nn.graph.GraphReference;
import dev.clpipe.nn.graph.Padding;
import dev.clpipe.nn.graph.Value;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.ZeroPadNhwc;
import dev.clpipe.tensor.Npy;
import dev.clpipe.tensor.NpyArray;
import dev.clpipe.testing.Tolerance;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * clpipe graph -> ONNX -> ONNX Runtime (test-scope dependency): PyTorch's torchvision ResNet-18
 * (narrow) and MobileNetV2 x0.25 and the ops mix, imported from their golden ONNX files and
 * exported again by {@link OnnxExporter}, run in ONNX Runtime on the golden NCHW batch: within
 * {@link #TOL} of clpipe's own graph outputs ({@link GraphReference}, which OnnxGoldenTest holds
 * to the device and to PyTorch) and of PyTorch's logits; the export also imports back into clpipe.
 * A hand-built graph covers the nodes no import above produces (zero padding with channels, affine
 * on features, leaky relu/relu6/sigmoid/tanh, depthwise and strided non-square convolutions, two
 * outputs, a map output).
 */
class GraphExportTest {
    static final Tolerance TOL = new Tolerance("graph-export", 1e-3, 1e-4);

    @ParameterizedTest
    @ValueSource(strings = {"resnet18-narrow", "mobilenetv2-w025", "ops-mix17", "upsample17"})
    void importedNetRunsAlikeInOnnxRuntime(String name) throws Exception {
        Path dir = OnnxGoldenTest.DIR;
        OnnxNetwork net = OnnxImporter.read(dir.resolve(name + ".onnx"));
        NpyArray x = Npy.read(dir.resolve(name + ".input.npy")), pytorch = Npy.read(dir.resolve(name + ".output.npy"));
        int batch = x.shape()[0];
        float[] clpipe = net.fromGraphOutput(0, GraphReference.run(net.graph(), net.toGraphInput(x.data(), batch), batch)[0], batch);
        byte[] onnx = OnnxExporter.export(net);
        float[] ort = onnxRuntime(onnx, x.data(), x.shape())[0];
        TOL.assertClose(ort, clpipe, name + " ONNX Runtime on the export vs clpipe");
        TOL.assertClose(ort, pytorch.data(), name + " ONNX Runtime on the export vs PyTorch");
        OnnxNetwork back = OnnxImporter.read(write(name, onnx));
        float[] again = back.fromGraphOutput(0, GraphReference.run(back.graph(), back.toGraphInput(x.data(), batch), batch)[0], batch);
        TOL.assertClose(again, clpipe, name + " re-imported export vs clpipe");
    }

    @Test
    void everyNodeKindRunsAlikeInOnnxRuntime() throws Exception {
        Random r = new Random(5);
        GraphBuilder g = Graph.builder();
        Value in = g.input(9, 7, 3);
        Value x = g.zeroPad("pad", in, new ZeroPadNhwc.Pads(1, 0, 2, 1, 2));
        x = g.conv("conv", x, gaussian(r, 3 * 2 * 5 * 8), gaussian(r, 8), 3, 2, 8, 2, Padding.SAME, 1);
        x = g.leakyRelu("leaky", x, 0.1f);
        Value d = g.conv("depthwise", x, gaussian(r, 9 * 8), null, 3, 3, 8, 1, Padding.explicit(1, 0, 0, 1), 8);
        d = g.relu6("relu6", d);
        Value p = g.avgPool("avg", x, 2, 1, Padding.VALID);
        Value grouped = g.conv("grouped", d, gaussian(r, 4 * 4 * 8), null, 2, 2, 8, 1, Padding.explicit(0, 1, 1, 0), 2);
        Value m = g.add("sum", g.activation("tanh", p, Activation.Kind.TANH, 0), grouped);
        m = g.affine("affine", m, gaussian(r, 8), gaussian(r, 8), gaussian(r, 8));
        Value f = g.dense("dense", g.globalAvgPool("gap", m), gaussian(r, 8 * 6), gaussian(r, 6), 6);
        f = g.affine("scale", g.activation("sigmoid", f, Activation.Kind.SIGMOID, 0), new float[6], gaussian(r, 6), new float[6]);
        Value map = g.softmax("softmax", g.concat("concat", m, g.maxPool("max", x, 2, 1, Padding.VALID)));
        Graph graph = g.build(f, map);

        Shape s = graph.inputDims();
        int batch = 2;
        float[] nhwc = gaussian(r, batch * s.size());
        float[][] clpipe = GraphReference.run(graph, nhwc, batch);
        float[] nchw = Layouts.nhwcToNchw(nhwc, batch, s.height(), s.width(), s.channels());
        byte[] onnx = OnnxExporter.export(graph, List.of("features", "map"), false);
        float[][] ort = onnxRuntime(onnx, nchw, new int[] {batch, s.channels(), s.height(), s.width()});
        TOL.assertClose(ort[0], clpipe[0], "features: ONNX Runtime vs clpipe");
        Shape o = graph.outputDims(1);
        assertEquals(batch * o.size(), ort[1].length);
        TOL.assertClose(ort[1], Layouts.nhwcToNchw(clpipe[1], batch, o.height(), o.width(), o.channels()), "map: ONNX Runtime vs clpipe");
    }

    /** Every output of {@code onnx} run in ONNX Runtime on the NCHW batch {@code x}, flattened. */
    static float[][] onnxRuntime(byte[] onnx, float[] x, int[] shape) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) dims[i] = shape[i];
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), dims);
             OrtSession.Result result = session.run(Map.of("input", t))) {
            float[][] out = new float[result.size()][];
            for (int k = 0; k < out.length; k++) {
                FloatBuffer b = ((OnnxTensor) result.get(k)).getFloatBuffer();
                out[k] = new float[b.remaining()];
                b.get(out[k]);
            }
            return out;
        }
    }

    private static Path write(String name, byte[] onnx) throws Exception {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "clpipe-graph-export-" + name + ".onnx");
        Files.write(file, onnx);
        return file;
    }

    private static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian() * 0.5f;
        return a;
    }
}
