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

/** Every convolution variant and pass against {@link Conv2dReference} on random inputs. */
@Tag("kernel")
class Conv2dTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (OpVariant variant : new OpVariant[] {OpVariant.REGISTER_BLOCKED, OpVariant.LOCAL_TILED}) {
            for (Conv2dShape shape : ConvCases.shapes()) out.add(Arguments.of(variant, shape));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void forwardWithBias(OpVariant variant, Conv2dShape s) {
        float[] x = RandomArrays.uniform(1, s.inputFloats()), w = RandomArrays.uniform(2, s.weightFloats());
        float[] bias = RandomArrays.uniform(3, s.outChannels());
        ClContext c = TestDevices.context();
        try (Conv2d conv = Conv2d.create(c, s, variant); ClBuffer dx = c.buffer(x); ClBuffer dw = c.buffer(w); ClBuffer db = c.buffer(bias);
                ClBuffer dy = c.buffer(poison(s.outputFloats()))) {
            conv.forward(dx, dw, db, dy);
            Tolerance.FLOAT.assertClose(dy.readFloats(c.queue()), Conv2dReference.forward(s, x, w, bias), conv.describe() + " forward " + s);
            conv.forward(dx, dw, null, dy);
            Tolerance.FLOAT.assertClose(dy.readFloats(c.queue()), Conv2dReference.forward(s, x, w, null), conv.describe() + " forward, no bias " + s);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void backwardData(OpVariant variant, Conv2dShape s) {
        float[] gy = RandomArrays.uniform(4, s.outputFloats()), w = RandomArrays.uniform(2, s.weightFloats());
        ClContext c = TestDevices.context();
        try (Conv2d conv = Conv2d.create(c, s, variant); ClBuffer dgy = c.buffer(gy); ClBuffer dw = c.buffer(w);
                ClBuffer dgx = c.buffer(poison(s.inputFloats()))) {
            conv.backwardData(dgy, dw, dgx);
            Tolerance.FLOAT.assertClose(dgx.readFloats(c.queue()), Conv2dReference.backwardData(s, gy, w), conv.describe() + " backward-data " + s);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void backwardWeightsAndBias(OpVariant variant, Conv2dShape s) {
        float[] x = RandomArrays.uniform(1, s.inputFloats()), gy = RandomArrays.uniform(4, s.outputFloats());
        ClContext c = TestDevices.context();
        try (Conv2d conv = Conv2d.create(c, s, variant); ClBuffer dx = c.buffer(x); ClBuffer dgy = c.buffer(gy);
                ClBuffer dgw = c.buffer(poison(s.weightFloats())); ClBuffer dgb = c.buffer(poison(s.outChannels()))) {
            conv.backwardWeights(dx, dgy, dgw);
            conv.backwardBias(dgy, dgb);
            Tolerance.FLOAT_LONG_SUM.assertClose(dgw.readFloats(c.queue()), Conv2dReference.backwardWeights(s, x, gy),
                    conv.describe() + " backward-weights " + s);
            Tolerance.FLOAT_LONG_SUM.assertClose(dgb.readFloats(c.queue()), Conv2dReference.backwardBias(s, gy), conv.describe() + " bias gradient " + s);
            // both in one call (the register-blocked kernel writes the bias partials inside its weight gradient launch,
            // groups 1): the same floats as the two calls
            try (ClBuffer together = c.buffer(poison(s.weightFloats())); ClBuffer togetherBias = c.buffer(poison(s.outChannels()))) {
                conv.backwardWeightsAndBias(dx, dgy, together, togetherBias);
                Tolerance.assertSameBits(together.readFloats(c.queue()), dgw.readFloats(c.queue()), conv.describe() + " weights, one call " + s);
                Tolerance.assertSameBits(togetherBias.readFloats(c.queue()), dgb.readFloats(c.queue()), conv.describe() + " bias, one call " + s);
            }
        }
    }

    /** NaN-filled output buffers, so an element a kernel forgets to write fails the comparison. */
    static float[] poison(long length) {
        float[] values = new float[Math.toIntExact(length)];
        java.util.Arrays.fill(values, Float.NaN);
        return values;
    }
}
