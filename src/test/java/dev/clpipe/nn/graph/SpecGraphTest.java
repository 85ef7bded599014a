package dev.clpipe.nn.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.DenseAsConv;
import dev.clpipe.nn.LayerSpec;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Models;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.pipeline.stages.ModelFile;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every zoo model compiled to a {@link Graph} is the model it was: one node per layer with the
 * spec's name and output shape, the same parameter count and FLOPs, and, with the parameters of
 * a device {@link Network}, the same evaluation-mode outputs as that network.
 */
class SpecGraphTest {
    /** Models.* and every pipelines/models/*.yaml, plus the window classifier converted to a sliding-window conv net. */
    static Map<String, ModelSpec> zoo() throws IOException {
        Map<String, ModelSpec> zoo = new LinkedHashMap<>();
        for (ModelSpec m : List.of(Models.lenet5(), Models.resnetMnist(), Models.resnet20(), Models.resnet18())) zoo.put("Models." + m.name(), m);
        try (Stream<Path> files = Files.list(Path.of("pipelines/models"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) zoo.put(f.getFileName().toString(), ModelFile.read(f));
        }
        zoo.put("window-classifier as conv 40x40", DenseAsConv.convert(zoo.get("window-classifier.yaml"), new Shape(40, 40, 1)));
        return zoo;
    }

    @Test
    void everyZooGraphHasTheSpecsLayersShapesParametersAndFlops() throws IOException {
        Map<String, ModelSpec> zoo = zoo();
        assertTrue(zoo.size() >= 12, "zoo " + zoo.keySet());
        for (var e : zoo.entrySet()) {
            ModelSpec spec = e.getValue();
            Graph graph = SpecGraph.compile(spec, zeroParams(spec));
            String what = e.getKey();
            Map<String, Node> byName = new HashMap<>();
            for (Node n : graph.nodes()) byName.put(n.name(), n);
            assertEquals(1 + countLayers(spec.layers()), graph.nodes().size(), what + ": one node per layer plus the input");
            for (int i = 0; i < spec.layers().size(); i++) {
                Node n = byName.get(spec.layers().get(i).name());
                assertEquals(spec.outputOf(i), n == null ? null : n.out(), what + " layer " + spec.layers().get(i).name());
            }
            assertEquals(List.of(graph.nodes().size() - 1), graph.outputs(), what);
            assertEquals(spec.output(), graph.outputDims(0), what);
            assertEquals(spec.input(), graph.inputDims(), what);
            assertEquals(spec.parameterCount(), trainableCount(graph), what + " parameters");
            assertEquals(spec.forwardFlops(), graph.flopsPerSample(), spec.forwardFlops() * 1e-12, what + " flops");
        }
    }

    /** Every layer kind, with the paddings and strides the zoo's shapes do not reach (average pooling counting its padding). */
    static ModelSpec everyKind() {
        Activation.Kind relu = Activation.Kind.RELU;
        return ModelSpec.of("every-kind", new Shape(11, 11, 2), List.of(
                new LayerSpec.Conv("c1", 6, 3, 2, 1),
                new LayerSpec.BatchNorm("bn1", 1e-5f, 0.1f),
                new LayerSpec.Act("leaky", Activation.Kind.LEAKY_RELU),
                new LayerSpec.Residual("res", List.of(new LayerSpec.Conv("c", 6, 3, 1, 1), new LayerSpec.Act("r", relu),
                        new LayerSpec.Dropout("d", 0.3f), new LayerSpec.Pool("p", false, 3, 1, 1))),
                new LayerSpec.Concat("cat", List.of(List.of(new LayerSpec.Conv("a", 3, 1, 1, 0)),
                        List.of(new LayerSpec.Pool("m", true, 3, 1, 1), new LayerSpec.Act("t", Activation.Kind.TANH)))),
                new LayerSpec.Pool("avg", false, 3, 2, 1),
                new LayerSpec.Flatten("flat"),
                new LayerSpec.BatchNorm("bn2", 1e-3f, 0.2f),
                new LayerSpec.Dense("fc1", 7),
                new LayerSpec.Act("sig", Activation.Kind.SIGMOID),
                new LayerSpec.Dropout("drop", 0.5f),
                new LayerSpec.Dense("fc2", 4)));
    }

    /** The fast set: every layer kind and the MNIST-sized zoo models; the rest is in the slow test. */
    @Test
    void smallGraphsComputeWhatTheirNetworksComputeInEvaluation() throws IOException {
        Map<String, ModelSpec> zoo = zoo();
        assertSameOutputs("every kind", everyKind(), 3);
        for (String name : FAST) assertSameOutputs(name, zoo.get(name), 2);
    }

    private static final List<String> FAST = List.of("lenet5.yaml", "resnet-mnist.yaml", "inception-mnist.yaml", "window-classifier as conv 40x40");

    @Test
    @Tag("slow")
    void everyZooGraphComputesWhatItsNetworkComputesInEvaluation() throws IOException {
        Map<String, ModelSpec> zoo = zoo();
        zoo.keySet().removeAll(FAST);
        for (var e : zoo.entrySet()) assertSameOutputs(e.getKey(), e.getValue(), 1);
    }

    @Test
    void aMissingParameterIsNamed() {
        ModelSpec spec = Models.lenet5();
        Map<String, float[]> params = zeroParams(spec);
        params.remove("fc2.bias");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpecGraph.compile(spec, params));
        assertEquals("parameter fc2.bias is missing", e.getMessage());
    }

    private static void assertSameOutputs(String what, ModelSpec spec, int batch) {
        ClContext ctx = TestDevices.context();
        Random r = new Random(what.hashCode());
        try (Network net = new Network(ctx, spec, batch, 7)) {
            Map<String, float[]> params = new LinkedHashMap<>();
            for (Param p : net.params()) {
                float[] v = p.value().readFloats(ctx.queue());
                if (p.name().endsWith("running_mean") || p.name().endsWith("bias")) v = DeviceGraphTest.uniform(r, v.length, -.2f, .2f);
                if (p.name().endsWith("running_var")) v = DeviceGraphTest.uniform(r, v.length, .5f, 2f);
                p.value().write(ctx.queue(), v);
                params.put(p.name(), v);
            }
            float[] input = DeviceGraphTest.uniform(r, batch * spec.input().size(), 0, 1);
            net.input().write(ctx.queue(), input);
            net.forward(false, 0);
            float[] want = net.logits().readFloats(ctx.queue());
            try (DeviceGraph graph = new DeviceGraph(ctx, SpecGraph.compile(spec, params))) {
                Tolerance.FLOAT_LONG_SUM.assertClose(graph.run(input, batch)[0], want, what + " graph vs network");
            }
        }
    }

    private static int countLayers(List<LayerSpec> layers) {
        int n = 0;
        for (LayerSpec l : layers) {
            n++;
            if (l instanceof LayerSpec.Residual res) n += countLayers(res.body());
            if (l instanceof LayerSpec.Concat c) for (List<LayerSpec> b : c.branches()) n += countLayers(b);
        }
        return n;
    }

    /** Weights and biases of convolutions and dense layers, scale and shift of batch norms: what the optimiser trains. */
    private static long trainableCount(Graph graph) {
        long n = 0;
        for (Node node : graph.nodes()) {
            if (node instanceof Node.Conv c) n += c.weights().length + (c.bias() == null ? 0 : c.bias().length);
            if (node instanceof Node.Dense d) n += d.weights().length + (d.bias() == null ? 0 : d.bias().length);
            if (node instanceof Node.BatchNorm b) n += b.gamma().length + b.beta().length;
        }
        return n;
    }

    /** Zero parameters of the checkpoint names and sizes of {@code spec}. */
    static Map<String, float[]> zeroParams(ModelSpec spec) {
        Map<String, float[]> params = new HashMap<>();
        zeroParams(spec.layers(), spec.input(), params);
        return params;
    }

    private static Shape zeroParams(List<LayerSpec> layers, Shape in, Map<String, float[]> params) {
        for (LayerSpec l : layers) {
            if (l instanceof LayerSpec.Conv c) {
                params.put(c.name() + ".weight", new float[c.kernel() * c.kernel() * in.channels() * c.filters()]);
                params.put(c.name() + ".bias", new float[c.filters()]);
            } else if (l instanceof LayerSpec.Dense d) {
                params.put(d.name() + ".weight", new float[d.units() * in.size()]);
                params.put(d.name() + ".bias", new float[d.units()]);
            } else if (l instanceof LayerSpec.BatchNorm b) {
                for (String s : List.of(".weight", ".bias", ".running_mean", ".running_var")) params.put(b.name() + s, new float[in.channels()]);
            } else if (l instanceof LayerSpec.Residual res) {
                zeroParams(res.body(), in, params);
            } else if (l instanceof LayerSpec.Concat c) {
                for (List<LayerSpec> b : c.branches()) zeroParams(b, in, params);
            }
            in = l.output(in);
        }
        return in;
    }
}
