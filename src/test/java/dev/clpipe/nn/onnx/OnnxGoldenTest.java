package dev.clpipe.nn.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clpipe.nn.graph.DeviceGraph;
import dev.clpipe.nn.graph.GraphReference;
import dev.clpipe.tensor.Npy;
import dev.clpipe.tensor.NpyArray;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyTorch -> ONNX -> clpipe: models exported by torch.onnx (make_onnx_vectors.py: narrow
 * torchvision ResNet-18, MobileNetV2 x0.25, the zoo's LeNet-5/resnet-mnist/resnet20-32px, random
 * weights and batch-norm statistics, opsets 13/14/17) run on the device and in the plain-Java
 * reference; both must give PyTorch's logits within {@link #TOL} (float32 chains of up to 20
 * convolutions summed in another order than PyTorch's).
 */
@Tag("kernel")
class OnnxGoldenTest {
    static final Tolerance TOL = new Tolerance("onnx-vs-pytorch", 1e-3, 1e-4);
    static final Path DIR = Path.of("src/test/resources/nn/onnx");

    @ParameterizedTest
    @ValueSource(strings = {"resnet18-narrow", "mobilenetv2-w025", "lenet5", "resnet-mnist", "resnet20-32px"})
    void matchesPyTorch(String name) throws Exception {
        OnnxNetwork net = OnnxImporter.read(DIR.resolve(name + ".onnx"));
        NpyArray x = Npy.read(DIR.resolve(name + ".input.npy"));
        NpyArray want = Npy.read(DIR.resolve(name + ".output.npy"));
        int batch = x.shape()[0];
        assertArrayEquals(new int[] {x.shape()[1], x.shape()[2], x.shape()[3]}, net.inputShape());
        assertEquals(1, net.outputs().size());
        assertArrayEquals(new int[] {want.shape()[1]}, net.outputs().get(0).shape());
        float[] in = net.toGraphInput(x.data(), batch);
        float[] reference = net.fromGraphOutput(0, GraphReference.run(net.graph(), in, batch)[0], batch);
        TOL.assertClose(reference, want.data(), name + " reference vs PyTorch");
        try (DeviceGraph device = new DeviceGraph(TestDevices.context(), net.graph())) {
            float[] got = net.fromGraphOutput(0, device.run(in, batch)[0], batch);
            TOL.assertClose(got, want.data(), name + " device vs PyTorch");
        }
    }
}
