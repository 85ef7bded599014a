package dev.clpipe.nn.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Shape;
import dev.clpipe.tensor.Npy;
import dev.clpipe.tensor.NpyArray;
import dev.clpipe.testing.TestDevices;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyTorch -> ONNX -> clpipe's training network: the zoo's nets exported by torch.onnx (LeNet-5,
 * resnet-mnist with identity residual blocks and folded batch norm) become a
 * {@link TrainableSpecs} model whose training network, loaded with the file's weights, gives
 * PyTorch's logits on the golden batch within {@link OnnxGoldenTest#TOL}. torchvision's ResNet-18
 * (a convolution on the shortcut), MobileNetV2 (depthwise convolutions) and resnet20-32px (an
 * explicit zero Pad) are refused naming the node.
 */
@Tag("kernel")
class TrainableSpecsTest {
    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "resnet-mnist"})
    void trainingNetworkOfAnImportGivesPyTorchsLogits(String name) throws Exception {
        Path dir = OnnxGoldenTest.DIR;
        OnnxNetwork net = OnnxImporter.read(dir.resolve(name + ".onnx"));
        TrainableSpecs.Trainable t = TrainableSpecs.of(net);
        NpyArray x = Npy.read(dir.resolve(name + ".input.npy")), want = Npy.read(dir.resolve(name + ".output.npy"));
        int batch = x.shape()[0];
        ClContext context = TestDevices.context();
        Shape in = t.spec().input();
        try (Network n = new Network(context, t.spec(), batch, 1)) {
            t.loadInto(n);
            n.input().write(context.queue(), Layouts.nchwToNhwc(x.data(), batch, in.channels(), in.height(), in.width()));
            n.forward(false, 0);
            float[] got = new float[batch * t.spec().output().size()];
            n.logits().read(context.queue(), got);
            OnnxGoldenTest.TOL.assertClose(got, want.data(), name + " training network vs PyTorch");
        }
    }

    @Test
    void shortcutConvolutionsAndDepthwiseConvolutionsAreRefusedByNode() throws Exception {
        OnnxNetwork resnet = OnnxImporter.read(OnnxGoldenTest.DIR.resolve("resnet18-narrow.onnx"));
        String m = assertThrows(UnsupportedOnnxException.class, () -> TrainableSpecs.of(resnet)).getMessage();
        assertTrue(m.startsWith(resnet.file() + ": node '") && m.contains("identity residual blocks"), m);
        OnnxNetwork mobile = OnnxImporter.read(OnnxGoldenTest.DIR.resolve("mobilenetv2-w025.onnx"));
        String m2 = assertThrows(UnsupportedOnnxException.class, () -> TrainableSpecs.of(mobile)).getMessage();
        assertTrue(m2.contains("groups (training takes square kernels and strides, equal pads, 1 group)"), m2);
        OnnxNetwork padded = OnnxImporter.read(OnnxGoldenTest.DIR.resolve("resnet20-32px.onnx"));
        String m3 = assertThrows(UnsupportedOnnxException.class, () -> TrainableSpecs.of(padded)).getMessage();
        assertTrue(m3.contains("node '/29/Pad' has no training layer"), m3);
    }
}
