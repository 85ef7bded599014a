package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.nn.ops.Activation;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shape inference, parameter counts, counter-based init, epoch orders and LR schedules (no device). */
class ModelSpecTest {
    @Test
    void lenet5HasTheTextbookShapesAndParameterCount() {
        ModelSpec m = Models.lenet5();
        assertEquals(61_706, m.parameterCount());
        assertEquals(new Shape(28, 28, 6), m.outputOf(0));
        assertEquals(new Shape(5, 5, 16), m.outputOf(5));
        assertEquals(Shape.flat(400), m.outputOf(6));
        assertEquals(Shape.flat(10), m.output());
        assertTrue(m.summary().contains("61,706"), m.summary());
    }

    @Test
    void aKernelLargerThanItsMapIsRefusedNamingLayerAndShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> ModelSpec.of("bad", new Shape(12, 12, 1), List.of(
                new LayerSpec.Conv("conv1", 4, 5, 1, 0),
                new LayerSpec.Pool("pool1", true, 2, 2, 0),
                new LayerSpec.Pool("pool2", true, 2, 2, 0),
                new LayerSpec.Conv("conv2", 8, 5, 1, 0))));
        assertEquals(3, e.layerIndex());
        assertTrue(e.getMessage().contains("conv2") && e.getMessage().contains("5x5") && e.getMessage().contains("2x2x4"), e.getMessage());
    }

    @Test
    void aPoolWindowLargerThanItsMapAndDuplicateNamesAreRefused() {
        ShapeException pool = assertThrows(ShapeException.class, () -> ModelSpec.of("bad", new Shape(3, 3, 2),
                List.of(new LayerSpec.Pool("p", true, 4, 4, 0))));
        assertTrue(pool.getMessage().contains("3x3"), pool.getMessage());
        ShapeException twice = assertThrows(ShapeException.class, () -> ModelSpec.of("bad", new Shape(3, 3, 2),
                List.of(new LayerSpec.Act("a", Activation.Kind.RELU), new LayerSpec.Act("a", Activation.Kind.RELU))));
        assertTrue(twice.getMessage().contains("'a'"), twice.getMessage());
    }

    @Test
    void aResidualBodyMustKeepItsInputShape() {
        ShapeException e = assertThrows(ShapeException.class, () -> ModelSpec.of("bad", new Shape(8, 8, 4), List.of(
                new LayerSpec.Residual("block1", List.of(new LayerSpec.Conv("block1.conv1", 8, 3, 1, 1))))));
        assertTrue(e.getMessage().contains("block1") && e.getMessage().contains("8x8x4") && e.getMessage().contains("8x8x8"), e.getMessage());
        ModelSpec ok = ModelSpec.of("ok", new Shape(8, 8, 4), List.of(
                new LayerSpec.Residual("block1", List.of(new LayerSpec.Conv("block1.conv1", 4, 3, 1, 1)))));
        assertEquals(3 * 3 * 4 * 4 + 4, ok.parameterCount());
    }

    @Test
    void concatBranchesMustAgreeOnHeightAndWidth() {
        ShapeException e = assertThrows(ShapeException.class, () -> ModelSpec.of("bad", new Shape(8, 8, 4), List.of(
                new LayerSpec.Concat("mix", List.of(List.of(new LayerSpec.Conv("mix.a", 2, 1, 1, 0)), List.of(new LayerSpec.Conv("mix.b", 2, 3, 1, 0)))))));
        assertTrue(e.getMessage().contains("mix") && e.getMessage().contains("6x6x2") && e.getMessage().contains("8x8x2"), e.getMessage());
        ModelSpec ok = ModelSpec.of("ok", new Shape(8, 8, 4), List.of(
                new LayerSpec.Concat("mix", List.of(List.of(new LayerSpec.Conv("mix.a", 2, 1, 1, 0)), List.of(new LayerSpec.Conv("mix.b", 3, 3, 1, 1))))));
        assertEquals(new Shape(8, 8, 5), ok.output());
        assertEquals(4 * 2 + 2 + 9 * 4 * 3 + 3, ok.parameterCount());
    }

    @Test
    void initIsAPureFunctionOfSeedAndName() {
        float[] a = Init.values(Param.Fill.HE_UNIFORM, "conv1.weight", 150, 25, 42);
        assertArrayEquals(a, Init.values(Param.Fill.HE_UNIFORM, "conv1.weight", 150, 25, 42));
        assertNotEquals(Arrays.toString(a), Arrays.toString(Init.values(Param.Fill.HE_UNIFORM, "conv1.weight", 150, 25, 43)));
        assertNotEquals(Arrays.toString(a), Arrays.toString(Init.values(Param.Fill.HE_UNIFORM, "conv2.weight", 150, 25, 42)));
        double bound = Math.sqrt(6.0 / 25);
        for (float v : a) assertTrue(Math.abs(v) <= bound);
    }

    @Test
    void epochOrderIsADeterministicPermutationPerEpoch() {
        int[] e0 = EpochOrder.of(1, 0, 1000);
        assertArrayEquals(e0, EpochOrder.of(1, 0, 1000));
        assertNotEquals(Arrays.toString(e0), Arrays.toString(EpochOrder.of(1, 1, 1000)));
        int[] sorted = e0.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i]);
    }

    @Test
    void schedulesWarmUpThenDecay() {
        LrSchedule cosine = new LrSchedule(LrSchedule.Kind.COSINE, 10, 1, 1, 0);
        assertEquals(0.1, cosine.rate(1.0, 0, 100, 1000), 1e-12);
        assertEquals(1.0, cosine.rate(1.0, 10, 100, 1000), 1e-12);
        assertEquals(0.5, cosine.rate(1.0, 505, 100, 1000), 1e-12);
        assertEquals(0.0, cosine.rate(1.0, 1000, 100, 1000), 1e-12);
        LrSchedule step = new LrSchedule(LrSchedule.Kind.STEP, 0, 2, 0.1, 0);
        assertEquals(1.0, step.rate(1.0, 199, 100, 1000), 1e-12);
        assertEquals(0.1, step.rate(1.0, 200, 100, 1000), 1e-12);
        assertEquals(0.01, step.rate(1.0, 450, 100, 1000), 1e-12);
    }
}
