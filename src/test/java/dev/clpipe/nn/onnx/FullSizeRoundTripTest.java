package dev.clpipe.nn.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.clpipe.nn.graph.DeviceGraph;
import dev.clpipe.tensor.Npy;
import dev.clpipe.tensor.NpyArray;
import dev.clpipe.testing.TestDevices;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Full-size torchvision ResNet-18 and MobileNetV2 (224x224, 1000 classes, batch 2) both ways:
 * PyTorch -> ONNX -> clpipe on the device, and clpipe -> ONNX ({@link OnnxExporter}) -> ONNX
 * Runtime, each within {@link OnnxGoldenTest#TOL} (1e-4 + 1e-3 |x|) of PyTorch's logits and of
 * each other. The weights (45 and 14 MB) are not committed: the graphs keep them as external data,
 * regenerated here by {@link SeededWeights} (make_onnx_vectors.py {@code seeded}). Minutes of
 * kernel builds and 3.6 GFLOP per ResNet-18 batch, so slow-tagged: {@code make test-slow}.
 */
@Tag("slow")
@Tag("kernel")
class FullSizeRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"resnet18-seeded", "mobilenetv2-seeded"})
    void pytorchToClpipeToOnnxRuntime(String name) throws Exception {
        Path graph = SeededWeights.materialize(OnnxGoldenTest.DIR.resolve(name + ".onnx"), dir, SeededWeights.SEED);
        OnnxNetwork net = OnnxImporter.read(graph);
        assertArrayEquals(new int[] {3, 224, 224}, net.inputShape());
        NpyArray pytorch = Npy.read(OnnxGoldenTest.DIR.resolve(name + ".output.npy"));
        int batch = 2;
        float[] x = SeededWeights.input(SeededWeights.SEED);
        float[] clpipe;
        try (DeviceGraph device = new DeviceGraph(TestDevices.context(), net.graph())) {
            clpipe = net.fromGraphOutput(0, device.run(net.toGraphInput(x, batch), batch)[0], batch);
        }
        OnnxGoldenTest.TOL.assertClose(clpipe, pytorch.data(), name + ": clpipe (device) vs PyTorch");
        float[] ort = GraphExportTest.onnxRuntime(OnnxExporter.export(net), x, new int[] {batch, 3, 224, 224})[0];
        OnnxGoldenTest.TOL.assertClose(ort, clpipe, name + ": ONNX Runtime on clpipe's export vs clpipe");
        OnnxGoldenTest.TOL.assertClose(ort, pytorch.data(), name + ": ONNX Runtime on clpipe's export vs PyTorch");
    }
}
