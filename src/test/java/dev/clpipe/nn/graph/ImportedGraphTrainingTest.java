package dev.clpipe.nn.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.LayerSpec;
import dev.clpipe.nn.LrSchedule;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.OptimizerSpec;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.TrainableModel;
import dev.clpipe.nn.onnx.OnnxExporter;
import dev.clpipe.nn.onnx.OnnxImporter;
import dev.clpipe.nn.onnx.OnnxNetwork;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.train.Trainer;
import dev.clpipe.tensor.Npy;
import dev.clpipe.tensor.NpyArray;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Training any imported graph with {@link TrainingPlan} directly ({@link Network#ofGraph}): the
 * PyTorch exports (torchvision's ResNet-18 and MobileNetV2 among them) give PyTorch's logits in the training network; a zoo model that went out to
 * ONNX and back trains step for step as the zoo model; a torchvision-style residual block (a
 * strided convolution on the shortcut, Add) has the gradients of finite differences; a frozen
 * backbone under a new head keeps its weights byte for byte; a node the plan cannot differentiate
 * (a Softmax before the end) is refused naming it.
 */
@Tag("kernel")
class ImportedGraphTrainingTest {
    private static final Path ONNX = Path.of("src/test/resources/nn/onnx");
    private static final Tolerance ONNX_VS_PYTORCH = new Tolerance("onnx-vs-pytorch", 1e-3, 1e-4);

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "resnet-mnist", "resnet18-narrow", "mobilenetv2-w025"})
    void theTrainingNetworkOfAPyTorchExportGivesPyTorchsLogits(String name) throws Exception {
        OnnxNetwork net = OnnxImporter.read(ONNX.resolve(name + ".onnx"));
        Graph graph = TrainableGraph.of(net.graph());
        NpyArray x = Npy.read(ONNX.resolve(name + ".input.npy")), want = Npy.read(ONNX.resolve(name + ".output.npy"));
        int batch = x.shape()[0];
        ClContext context = TestDevices.context();
        Shape in = graph.inputDims();
        try (Network n = Network.ofGraph(context, name, graph, batch, 1)) {
            n.input().write(context.queue(), net.toGraphInput(x.data(), batch));
            n.forward(false, 0);
            float[] got = new float[batch * graph.outputDims(0).size()];
            n.logits().read(context.queue(), got);
            ONNX_VS_PYTORCH.assertClose(got, want.data(), name + " training network vs PyTorch");
        }
    }

    /** The zoo's residual form (identity shortcut) exported to ONNX and imported trains as the zoo model does: the same weights after three SGD steps. */
    @Test
    void aZooModelThroughOnnxTrainsAsTheZooModel(@TempDir Path dir) throws Exception {
        ModelSpec spec = ModelSpec.of("res", new Shape(8, 8, 1), List.of(
                new LayerSpec.Conv("stem", 4, 3, 1, 1), new LayerSpec.Act("relu1", Activation.Kind.RELU),
                new LayerSpec.Residual("block", List.of(new LayerSpec.Conv("block.conv1", 4, 3, 1, 1), new LayerSpec.Act("block.relu", Activation.Kind.RELU),
                        new LayerSpec.Conv("block.conv2", 4, 3, 1, 1))),
                new LayerSpec.Act("relu2", Activation.Kind.RELU), new LayerSpec.Pool("pool", true, 2, 2, 0), new LayerSpec.Dense("fc", 3)));
        TrainSettings settings = new TrainSettings(8, 1, OptimizerSpec.sgd(0.05, 0.9, 0), LrSchedule.constant(), 7, 1);
        ClContext context = TestDevices.context();
        Dataset data = dataset(24, 8, 8, 1, 3, 11);
        try (Trainer zoo = new Trainer(context, spec, settings);
                DeviceDataset set = new DeviceDataset(context, data, 0.5f, 0.25f)) {
            Graph exported = SpecGraph.compile(spec, OnnxExporter.parameters(zoo.network()));
            Path file = Files.write(dir.resolve("res.onnx"), OnnxExporter.export(exported, List.of("logits"), true));
            Graph imported = TrainableGraph.of(OnnxImporter.read(file).graph());
            try (Trainer fromFile = new Trainer(context, Network.ofGraph(context, "res", imported, 8, 7), settings)) {
                Map<String, float[]> initial = OnnxExporter.parameters(zoo.network());
                zoo.trainEpoch(set, n -> { }, () -> false);
                fromFile.trainEpoch(set, n -> { }, () -> false);
                List<Param> a = zoo.network().params(), b = fromFile.network().params();
                assertEquals(a.size(), b.size());
                for (int k = 0; k < a.size(); k++) {
                    assertArrayEquals(a.get(k).shape(), b.get(k).shape(), a.get(k).name());
                    float[] want = a.get(k).value().readFloats(context.queue()), got = b.get(k).value().readFloats(context.queue());
                    Tolerance.FLOAT.assertClose(got, want, a.get(k).name() + " vs " + b.get(k).name() + " after 3 steps");
                    assertFalse(java.util.Arrays.equals(want, initial.get(a.get(k).name())), a.get(k).name() + " moved");
                }
            }
        }
    }

    /** dL/dw of every parameter of a torchvision-style downsampling block imported from ONNX, against central differences of the plain-Java reference. */
    @Test
    void aShortcutConvolutionBlockHasTheGradientsOfFiniteDifferences(@TempDir Path dir) throws Exception {
        Graph graph = imported(dir, resnetBlock(new Random(5)));
        int batch = 2;
        Random r = new Random(8);
        float[] x = gaussian(r, batch * graph.inputDims().size(), 1);
        float[] weightOfOutput = gaussian(r, batch * graph.outputDims(0).size(), 1);
        ClContext context = TestDevices.context();
        Map<String, float[]> params = new LinkedHashMap<>(), grads = new LinkedHashMap<>();
        float[] y = new float[weightOfOutput.length];
        try (TrainingPlan plan = new TrainingPlan(context, graph, batch, 1, false)) {
            plan.input().write(context.queue(), x);
            plan.forward(true, 0);
            plan.output().read(context.queue(), y);
            plan.outputGradient().write(context.queue(), weightOfOutput);
            plan.backward(0);
            for (Param p : plan.params()) {
                params.put(p.name(), p.value().readFloats(context.queue()));
                grads.put(p.name(), p.grad().readFloats(context.queue()));
            }
        }
        Tolerance.FLOAT.assertClose(y, GraphReference.run(GraphWeights.with(graph, params), x, batch)[0], "the plan's output vs the reference of its tensors on the graph");
        Tolerance fd = new Tolerance("finite-difference", 2e-2, 2e-3);
        int checked = 0;
        for (String name : params.keySet()) {
            float[] w = params.get(name);
            for (int e = 0; e < w.length; e += Math.max(1, w.length / 5)) {
                float keep = w[e];
                double h = 1e-3; // small: a ReLU kink inside [w - h, w + h] would spoil the difference
                w[e] = (float) (keep + h);
                double up = loss(graph, params, x, weightOfOutput, batch);
                w[e] = (float) (keep - h);
                double down = loss(graph, params, x, weightOfOutput, batch);
                w[e] = keep;
                double numeric = (up - down) / (2 * h);
                assertTrue(fd.accepts(grads.get(name)[e], numeric), name + "[" + e + "]: plan " + grads.get(name)[e] + ", finite difference " + numeric);
                checked++;
            }
        }
        assertTrue(checked > 30, checked + " elements checked");
        assertTrue(params.keySet().stream().anyMatch(n -> n.contains("down")), "the shortcut convolution trains: " + params.keySet());
    }

    /** A new head on an imported backbone (cut at its pooled features): after training steps the backbone's tensors are the file's, byte for byte; the head's moved. */
    @Test
    void aFrozenBackboneUnderANewHeadKeepsItsWeights(@TempDir Path dir) throws Exception {
        Graph backbone = imported(dir, resnetBlock(new Random(5)));
        String cut = backbone.nodes().get(backbone.outputs().get(0) - 1).name(); // the pool before the classifier
        GraphHead head = new GraphHead(cut, 4);
        TrainableModel model = new TrainableModel.Imported("res", head.attach(backbone, 3), head.backboneNodes(backbone));
        TrainSettings settings = new TrainSettings(8, 1, OptimizerSpec.sgd(0.1, 0.9, 0), LrSchedule.constant(), 7, 1);
        ClContext context = TestDevices.context();
        try (Trainer trainer = new Trainer(context, model.network(context, 8, 7), settings);
                DeviceDataset set = new DeviceDataset(context, dataset(24, 6, 6, 2, 4, 12), 0.5f, 0.25f)) {
            List<float[]> before = new ArrayList<>();
            for (Param p : trainer.network().params()) before.add(p.value().readFloats(context.queue()));
            trainer.trainEpoch(set, n -> { }, () -> false);
            List<Param> params = trainer.network().params();
            int frozen = 0;
            for (int k = 0; k < params.size(); k++) {
                float[] after = params.get(k).value().readFloats(context.queue());
                boolean isHead = params.get(k).name().startsWith(GraphHead.NAME + ".");
                if (isHead) {
                    assertFalse(java.util.Arrays.equals(before.get(k), after), params.get(k).name() + " trains");
                } else {
                    assertArrayEquals(before.get(k), after, params.get(k).name() + " is frozen");
                    frozen++;
                }
            }
            assertTrue(frozen >= 8, frozen + " backbone tensors");
            assertEquals(4, trainer.network().outputShape().size());
        }
        assertThrows(IllegalArgumentException.class, () -> new GraphHead("no-such-node", 4).attach(backbone, 0));
    }

    /** A {@code Softmax} before the end (the plan trains through a final one only, via the loss) is refused naming the node; predict and model run still take it. */
    @Test
    void aNodeThePlanCannotDifferentiateIsRefusedByName() throws Exception {
        GraphBuilder g = Graph.builder();
        Random r = new Random(2);
        Value x = g.softmax("attention/softmax", g.conv("conv", g.input(4, 4, 1), gaussian(r, 9 * 3, 0.5f), gaussian(r, 3, 0.1f), 3, 3, 3, 1, Padding.explicit(1), 1));
        Graph graph = TrainableGraph.of(g.build(g.dense("fc", x, gaussian(r, 48 * 2, 0.5f), gaussian(r, 2, 0.1f), 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Network.ofGraph(TestDevices.context(), "s", graph, 2, 1));
        assertTrue(e.getMessage().startsWith("attention/softmax: "), e.getMessage());
    }

    // ---- fixtures ----

    /** torchvision's BasicBlock with downsample, narrowed: stem conv, a strided 3x3 pair beside a strided 1x1 shortcut, Add, ReLU, global average pool, Linear. */
    static Graph resnetBlock(Random r) {
        GraphBuilder g = Graph.builder();
        Value x = g.input(6, 6, 2);
        x = g.relu("stem/relu", g.conv("stem", x, gaussian(r, 9 * 2 * 4, 0.4f), gaussian(r, 4, 0.1f), 3, 3, 4, 1, Padding.explicit(1), 1));
        Value body = g.relu("block/relu1", g.conv("block/conv1", x, gaussian(r, 9 * 4 * 6, 0.3f), gaussian(r, 6, 0.1f), 3, 3, 6, 2, Padding.explicit(1), 1));
        body = g.conv("block/conv2", body, gaussian(r, 9 * 6 * 6, 0.3f), gaussian(r, 6, 0.1f), 3, 3, 6, 1, Padding.explicit(1), 1);
        Value shortcut = g.conv("block/down", x, gaussian(r, 4 * 6, 0.4f), gaussian(r, 6, 0.1f), 1, 1, 6, 2, Padding.explicit(0), 1);
        x = g.relu("block/relu2", g.add("block/add", body, shortcut));
        x = g.globalAvgPool("pool", x);
        return g.build(g.dense("fc", x, gaussian(r, 6 * 3, 0.5f), gaussian(r, 3, 0.1f), 3));
    }

    /** {@code graph} written as ONNX by clpipe, read back and put in training form. */
    static Graph imported(Path dir, Graph graph) throws Exception {
        Path file = Files.write(dir.resolve("block.onnx"), OnnxExporter.export(graph, List.of("logits"), true));
        return TrainableGraph.of(OnnxImporter.read(file).graph());
    }

    /** sum(output * weightOfOutput) of the graph with {@code params} (the plan's layout), in the plain-Java reference. */
    private static double loss(Graph graph, Map<String, float[]> params, float[] x, float[] weightOfOutput, int batch) {
        float[] y = GraphReference.run(GraphWeights.with(graph, params), x, batch)[0];
        double sum = 0;
        for (int i = 0; i < y.length; i++) sum += (double) y[i] * weightOfOutput[i];
        return sum;
    }

    private static Dataset dataset(int count, int h, int w, int c, int classes, long seed) {
        Random r = new Random(seed);
        byte[] images = new byte[count * h * w * c];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = r.nextInt(classes);
            for (int p = 0; p < h * w * c; p++) images[i * h * w * c + p] = (byte) ((p % classes == labels[i] ? 180 : 30) + r.nextInt(60));
        }
        return new Dataset("tiny", images, labels, new Shape(h, w, c), classes);
    }

    private static float[] gaussian(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian() * scale;
        return a;
    }
}
