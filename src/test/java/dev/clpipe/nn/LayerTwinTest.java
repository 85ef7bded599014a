package dev.clpipe.nn;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every device layer against the plain-Java reference, forward and backward (parameter gradients
 * and the input gradient). The layer under test follows an identity dropout (p = 0) so the network
 * computes its input gradient too.
 */
class LayerTwinTest {
    private static final int BATCH = 3;

    static Stream<Arguments> layers() {
        Shape map = new Shape(8, 7, 5), even = new Shape(8, 6, 4), flat = Shape.flat(13);
        return Stream.of(
                Arguments.of(new LayerSpec.Conv("conv", 6, 3, 1, 1), map),
                Arguments.of(new LayerSpec.Conv("conv", 16, 5, 1, 2), new Shape(12, 12, 1)),
                Arguments.of(new LayerSpec.Conv("conv", 4, 3, 2, 0), map),
                Arguments.of(new LayerSpec.Conv("conv", 6, 5, 1, 2), new Shape(12, 12, 1)),
                Arguments.of(new LayerSpec.Conv("conv", 8, 3, 2, 1), new Shape(9, 8, 3)),
                Arguments.of(new LayerSpec.Conv("conv", 16, 5, 1, 0), new Shape(14, 14, 6)),
                Arguments.of(new LayerSpec.Conv("conv", 32, 3, 2, 1), new Shape(9, 7, 5)),
                Arguments.of(new LayerSpec.Pool("pool", true, 2, 2, 0), even),
                Arguments.of(new LayerSpec.Pool("pool", true, 3, 2, 1), map),
                Arguments.of(new LayerSpec.Pool("pool", false, 2, 2, 0), map),
                Arguments.of(new LayerSpec.Dense("dense", 9), map),
                Arguments.of(new LayerSpec.Dense("dense", 7), flat),
                Arguments.of(new LayerSpec.Act("act", Activation.Kind.RELU), map),
                Arguments.of(new LayerSpec.Act("act", Activation.Kind.LEAKY_RELU), map),
                Arguments.of(new LayerSpec.Act("act", Activation.Kind.SIGMOID), flat),
                Arguments.of(new LayerSpec.Act("act", Activation.Kind.TANH), flat),
                Arguments.of(new LayerSpec.Flatten("flat"), map),
                Arguments.of(new LayerSpec.Dropout("drop", 0.3f), map),
                Arguments.of(new LayerSpec.BatchNorm("bn", 1e-5f, 0.1f), even),
                Arguments.of(new LayerSpec.BatchNorm("bn", 1e-5f, 0.1f), new Shape(5, 3, 17)),
                Arguments.of(new LayerSpec.BatchNorm("bn", 1e-5f, 0.1f), new Shape(7, 7, 32)),
                Arguments.of(new LayerSpec.BatchNorm("bn", 1e-3f, 0.1f), new Shape(1, 1, 3)),
                Arguments.of(new LayerSpec.BatchNorm("bn", 1e-5f, 0.1f), Shape.flat(37)),
                Arguments.of(new LayerSpec.Residual("res", List.of(new LayerSpec.Conv("res.conv", 5, 3, 1, 1),
                        new LayerSpec.BatchNorm("res.bn", 1e-5f, 0.1f), new LayerSpec.Act("res.relu", Activation.Kind.RELU),
                        new LayerSpec.Dropout("res.drop", 0.25f))), map),
                Arguments.of(new LayerSpec.Concat("mix", List.of(
                        List.of(new LayerSpec.Conv("mix.a", 3, 1, 1, 0)),
                        List.of(new LayerSpec.Conv("mix.b", 4, 3, 1, 1), new LayerSpec.Act("mix.relu", Activation.Kind.RELU)),
                        List.of(new LayerSpec.Pool("mix.pool", true, 3, 1, 1), new LayerSpec.Dropout("mix.drop", 0.3f)))), map));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("layers")
    void matchesReference(LayerSpec layer, Shape in) {
        ClContext cl = TestDevices.context();
        ModelSpec spec = ModelSpec.of("t", in, List.of(new LayerSpec.Dropout("id", 0f), layer));
        Random r = new Random(layer.describe().hashCode());
        long step = 5;
        try (Network net = new Network(cl, spec, BATCH, 11)) {
            ReferenceNetwork ref = new ReferenceNetwork(spec, BATCH, 11);
            NetTesting.randomParams(net, ref, r);
            double[] x = NetTesting.random(r, BATCH * in.size(), 1.0);
            net.input().write(cl.queue(), NetTesting.floats(x));
            net.forward(true, step);
            double[] want = ref.forward(NetTesting.doubles(NetTesting.floats(x)), step);
            Tolerance.FLOAT_LONG_SUM.assertClose(net.logits().readFloats(cl.queue()), NetTesting.floats(want), layer.describe() + " forward");

            double[] dy = NetTesting.random(r, BATCH * spec.output().size(), 1.0);
            net.logitsGradient().write(cl.queue(), NetTesting.floats(dy));
            net.backward(step);
            Map<String, double[]> grads = ref.backwardFrom(NetTesting.doubles(NetTesting.floats(dy)), step);
            List<String> checked = new ArrayList<>();
            for (Param p : net.trainable()) {
                Tolerance.FLOAT_LONG_SUM.assertClose(p.grad().readFloats(cl.queue()), NetTesting.floats(grads.get(p.name())), p.name() + " gradient");
                checked.add(p.name());
            }
            float[] dx = new float[BATCH * in.size()];
            net.inputGradient(1).read(cl.queue(), dx);
            // the identity dropout in front passes dL/dx of the layer through unchanged
            Tolerance.FLOAT_LONG_SUM.assertClose(dx, NetTesting.floats(grads.get("input")), layer.describe() + " input gradient");
        }
    }
}
