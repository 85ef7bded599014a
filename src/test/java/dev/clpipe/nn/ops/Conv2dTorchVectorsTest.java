package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fixed cases against vectors PyTorch wrote (src/test/resources/nn/ops/make_vectors.py; shapes
 * here must match its CASES). On mismatch, regenerate with that script before suspecting it.
 */
@Tag("kernel")
class Conv2dTorchVectorsTest {
    static Stream<Arguments> cases() {
        List<Arguments> cases = List.of(
                Arguments.of("conv3x3", Conv2dShape.input(2, 7, 6, 3).output(4).kernel(3).padding(1).build()),
                Arguments.of("strided_dilated_grouped", Conv2dShape.input(1, 9, 8, 4).output(6).kernel(3, 2).stride(2, 1)
                        .padding(2, 1, 1, 0).dilation(2, 1).groups(2).build()),
                Arguments.of("depthwise", Conv2dShape.input(2, 6, 7, 5).output(5).kernel(3).stride(2).padding(1).groups(5).build()));
        List<Arguments> out = new ArrayList<>();
        for (OpVariant variant : new OpVariant[] {OpVariant.REGISTER_BLOCKED, OpVariant.LOCAL_TILED}) {
            for (Arguments a : cases) out.add(Arguments.of(variant, a.get()[0], a.get()[1]));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesPyTorch(OpVariant variant, String name, Conv2dShape s) {
        float[] x = vector(name, "x"), w = vector(name, "w"), b = vector(name, "b"), dy = vector(name, "dy");
        ClContext c = TestDevices.context();
        try (Conv2d conv = Conv2d.create(c, s, variant); ClBuffer dX = c.buffer(x); ClBuffer dW = c.buffer(w); ClBuffer dB = c.buffer(b);
                ClBuffer dDy = c.buffer(dy); ClBuffer y = c.buffer(s.outputFloats() * 4); ClBuffer gx = c.buffer(s.inputFloats() * 4);
                ClBuffer gw = c.buffer(s.weightFloats() * 4); ClBuffer gb = c.buffer(s.outChannels() * 4L)) {
            conv.forward(dX, dW, dB, y);
            conv.backwardData(dDy, dW, gx);
            conv.backwardWeights(dX, dDy, gw);
            conv.backwardBias(dDy, gb);
            String what = conv.describe() + " " + name + " vs PyTorch: ";
            Tolerance.FLOAT.assertClose(y.readFloats(c.queue()), vector(name, "y"), what + "y");
            Tolerance.FLOAT.assertClose(gx.readFloats(c.queue()), vector(name, "dx"), what + "dx");
            Tolerance.FLOAT.assertClose(gw.readFloats(c.queue()), vector(name, "dw"), what + "dw");
            Tolerance.FLOAT.assertClose(gb.readFloats(c.queue()), vector(name, "db"), what + "db");
        }
        Tolerance.FLOAT.assertClose(Conv2dReference.forward(s, x, w, b), vector(name, "y"), "Java twin " + name + " vs PyTorch: y");
    }

    private static float[] vector(String name, String part) {
        return NpyTestReader.read("nn/ops/" + name + "_" + part + ".npy");
    }
}
