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
 * weights and batch-norm statistics, opsets 13/14/17; ops-mix17: HardSwish, HardSigmoid, non-square
 * MaxPool/AveragePool windows and strides, channel Concat, Softmax; upsample17: ConvTranspose with
 * strides, pads, output_padding and a dilation, Resize nearest/linear by scales and by sizes, a map
 * output) run on the device and in the plain-Java reference; both must give PyTorch's logits within {@link #TOL} (float32 chains of up to 20
 * convolutions summed in another order than PyTorch's).
 */
@Tag("kernel")
class OnnxGoldenTest {
    static final Tolerance TOL = new Tolerance("onnx-vs-pytorch", 1e-3, 1e-4);
    static final Path DIR = Path.of("src/test/resources/nn/onnx");

    @ParameterizedTest
    @ValueSource(strings = {"resnet18-narrow", "mobilenetv2-w025", "lenet5", "resnet-mnist", "resnet20-32px", "ops-mix17", "upsample17"})
    void referenceMatchesPyTorch(String name) throws Exception {
        Case c = load(name);
        float[] got = c.net.fromGraphOutput(0, GraphReference.run(c.net.graph(), c.net.toGraphInput(c.x.data(), c.batch), c.batch)[0], c.batch);
        TOL.assertClose(got, c.want.data(), name + " reference vs PyTorch");
    }

    /** The zoo's nets on the device (few distinct shapes: kernels build in seconds). */
    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "resnet-mnist", "resnet20-32px", "ops-mix17", "upsample17"})
    void deviceMatchesPyTorch(String name) throws Exception {
        onDevice(load(name));
    }

    /** torchvision's nets on the device: some 20 conv shapes each to build, minutes on a loaded machine. */
    @Tag("slow")
    @ParameterizedTest
    @ValueSource(strings = {"resnet18-narrow", "mobilenetv2-w025"})
    void torchvisionOnDeviceMatchesPyTorch(String name) throws Exception {
        onDevice(load(name));
    }

    private record Case(OnnxNetwork net, NpyArray x, NpyArray want, int batch) {}

    private static Case load(String name) throws Exception {
        OnnxNetwork net = OnnxImporter.read(DIR.resolve(name + ".onnx"));
        NpyArray x = Npy.read(DIR.resolve(name + ".input.npy"));
        NpyArray want = Npy.read(DIR.resolve(name + ".output.npy"));
        assertArrayEquals(new int[] {x.shape()[1], x.shape()[2], x.shape()[3]}, net.inputShape());
        assertEquals(1, net.outputs().size());
        assertArrayEquals(java.util.Arrays.copyOfRange(want.shape(), 1, want.shape().length), net.outputs().get(0).shape());
        return new Case(net, x, want, x.shape()[0]);
    }

    private static void onDevice(Case c) {
        try (DeviceGraph device = new DeviceGraph(TestDevices.context(), c.net.graph())) {
            float[] got = c.net.fromGraphOutput(0, device.run(c.net.toGraphInput(c.x.data(), c.batch), c.batch)[0], c.batch);
            TOL.assertClose(got, c.want.data(), c.net.file().getFileName() + " device vs PyTorch");
        }
    }
}
