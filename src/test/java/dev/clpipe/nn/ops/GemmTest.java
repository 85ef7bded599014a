package dev.clpipe.nn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Every GEMM path against {@link GemmReference} over odd, square, thin and transposed shapes: the register-blocked
 * packed kernels, the one-launch direct kernels small shapes take, and the local-tiled kernel.
 */
@Tag("kernel")
class GemmTest {
    /** How a test builds its {@link Gemm}; DIRECT and PACKED are both the register-blocked variant. */
    enum Path {
        PACKED, DIRECT, LOCAL_TILED;

        Gemm open(ClContext context) {
            return switch (this) {
                case PACKED -> Gemm.registerBlocked(context, TuningCache.standard().choiceFor(context.device()).gemm());
                case DIRECT -> Gemm.create(context, OpVariant.REGISTER_BLOCKED);
                case LOCAL_TILED -> Gemm.create(context, OpVariant.LOCAL_TILED);
            };
        }
    }

    static Stream<Arguments> cases() {
        // {5, 9, 70}: K past one packing chunk (KC = 64), so the packed row sums span chunks (also under Oclgrind)
        int[][] small = {{1, 1, 1}, {3, 5, 7}, {8, 32, 16}, {9, 33, 17}, {17, 15, 3}, {5, 9, 70}};
        // {300, 40, 600}: packed A exceeds one L2 group, so gemm_rb runs several row-block groups
        int[][] large = {{64, 64, 64}, {100, 70, 129}, {31, 257, 40}, {128, 10, 784}, {257, 96, 33}, {300, 40, 600}};
        // Around the direct kernels' blocks: 4 rows x 4 float16 column vectors (gemm_direct: whole and ragged column
        // blocks, vectors wholly past N), 4 x 4 and k by 8 (gemm_direct_dot); then LeNet-5's dense layers at batch 64.
        int[][] direct = {{5, 64, 9}, {3, 65, 8}, {4, 80, 7}, {9, 17, 15}, {8, 48, 16}, {2, 1, 33},
                {7, 129, 3}, {64, 120, 400}, {84, 120, 64}, {64, 10, 84}};
        List<int[]> sizes = new ArrayList<>(List.of(small));
        if (!TestDevices.underOclgrind()) sizes.addAll(List.of(large));
        List<Arguments> out = new ArrayList<>();
        for (Path path : Path.values()) {
            List<int[]> pathSizes = new ArrayList<>(sizes);
            if (path == Path.DIRECT) pathSizes.addAll(List.of(direct).subList(0, TestDevices.underOclgrind() ? 6 : direct.length));
            for (int[] s : pathSizes) {
                for (int t = 0; t < 4; t++) {
                    GemmShape shape = GemmShape.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0);
                    if (path != Path.DIRECT || DirectGemm.suits(shape)) out.add(Arguments.of(path, shape));
                }
            }
        }
        return out.stream();
    }

    /** The cases with op(A) = A^T, the only form whose row sums {@link Gemm#runWithRowSums} takes. */
    static Stream<Arguments> transposedA() {
        return cases().filter(args -> ((GemmShape) args.get()[1]).transA());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesReference(Path path, GemmShape shape) {
        check(path, shape, false);
    }

    @ParameterizedTest(name = "{0} alpha/beta/bias {1}")
    @MethodSource("cases")
    void alphaBetaAndBias(Path path, GemmShape shape) {
        check(path, shape.scaled(0.5f, -1.25f), true);
    }

    /**
     * C and the row sums of op(A) (a dense layer's weight and bias gradients): one launch on the direct path, two on the
     * packed one (the packing sums), and on the packed path the floats of {@link ColumnSums}.
     */
    @ParameterizedTest(name = "{0} row sums {1}")
    @MethodSource("transposedA")
    void rowSumsBesideTheProduct(Path path, GemmShape shape) {
        GemmShape scaled = shape.scaled(0.5f, 0.75f);
        ClContext context = TestDevices.context();
        float[] a = RandomArrays.uniform(1, scaled.aFloats());
        float[] b = RandomArrays.uniform(2, scaled.bFloats());
        float[] c = RandomArrays.uniform(3, scaled.cFloats());
        try (Gemm gemm = path.open(context);
                ClBuffer da = context.buffer(a); ClBuffer db = context.buffer(b); ClBuffer dc = context.buffer(c);
                ClBuffer sums = context.buffer((long) scaled.m() * Float.BYTES)) {
            assertEquals(path == Path.DIRECT, gemm.runsDirect(scaled), "routing of " + scaled);
            long before = gemm.launches();
            gemm.runWithRowSums(scaled, da, db, dc, sums);
            if (path != Path.LOCAL_TILED) assertEquals(path == Path.DIRECT ? 1 : 2, gemm.launches() - before, "launches of " + scaled);
            if (path == Path.PACKED) {
                try (ColumnSums columnSums = new ColumnSums(context); ClBuffer apart = context.buffer((long) scaled.m() * Float.BYTES)) {
                    columnSums.run(da, apart, scaled.k(), scaled.m());
                    Tolerance.assertSameBits(sums.readFloats(context.queue()), apart.readFloats(context.queue()),
                            "packed row sums vs column_sums " + scaled);
                }
            }
            Tolerance.FLOAT_LONG_SUM.assertClose(dc.readFloats(context.queue()), GemmReference.run(scaled, a, b, c, null), path + " " + scaled);
            Tolerance.FLOAT_LONG_SUM.assertClose(sums.readFloats(context.queue()), GemmReference.rowSums(scaled, a), path + " row sums " + scaled);
        }
    }

    /**
     * The ReLU epilogue (a dense layer's forward with its ReLU) against the GEMM then {@link Activation}'s relu_fwd on the
     * same path, float for float, and against the twins. Direct: one launch; packed: packing and product; local-tiled:
     * the product and the ReLU.
     */
    @ParameterizedTest(name = "{0} relu epilogue {1}")
    @MethodSource("cases")
    void reluEpilogueMatchesTheSeparateRelu(Path path, GemmShape shape) {
        GemmShape scaled = shape.scaled(0.5f, -1.25f);
        ClContext context = TestDevices.context();
        float[] a = RandomArrays.uniform(1, scaled.aFloats());
        float[] b = RandomArrays.uniform(2, scaled.bFloats());
        float[] c = RandomArrays.uniform(3, scaled.cFloats());
        float[] bias = RandomArrays.uniform(4, scaled.n());
        int count = (int) scaled.cFloats();
        try (Gemm gemm = path.open(context); Activation relu = new Activation(context, Activation.Kind.RELU);
                ClBuffer da = context.buffer(a); ClBuffer db = context.buffer(b); ClBuffer dbias = context.buffer(bias);
                ClBuffer fused = context.buffer(c); ClBuffer apart = context.buffer(c)) {
            long before = gemm.launches();
            gemm.runRelu(scaled, da, db, fused, dbias);
            if (path != Path.LOCAL_TILED) {
                assertEquals(path == Path.DIRECT ? 1 : 2, gemm.launches() - before, "launches of the fused " + scaled);
            }
            gemm.run(scaled, da, db, apart, dbias);
            relu.forward(apart, apart, count);
            float[] got = fused.readFloats(context.queue());
            Tolerance.assertSameBits(got, apart.readFloats(context.queue()), path + " relu epilogue vs relu_fwd " + scaled);
            double[] want = ActivationReference.forward(Activation.Kind.RELU, 0, OpTesting.toDouble(GemmReference.run(scaled, a, b, c, bias)));
            Tolerance.FLOAT_LONG_SUM.assertClose(got, OpTesting.toFloat(want), path + " relu epilogue vs twin " + scaled);
        }
    }

    /**
     * The gate epilogue (dX of a dense layer carried through the ReLU before it) against the GEMM then relu_bwd on the
     * same path, float for float, and against the twins; the gate holds zeros and negatives as a ReLU output would not,
     * so both sides of the test are taken.
     */
    @ParameterizedTest(name = "{0} gate epilogue {1}")
    @MethodSource("cases")
    void gateEpilogueMatchesTheSeparateReluBackward(Path path, GemmShape shape) {
        ClContext context = TestDevices.context();
        float[] a = RandomArrays.uniform(1, shape.aFloats());
        float[] b = RandomArrays.uniform(2, shape.bFloats());
        float[] gate = RandomArrays.uniform(5, shape.cFloats());
        for (int i = 0; i < gate.length; i += 7) gate[i] = 0f;
        int count = (int) shape.cFloats();
        try (Gemm gemm = path.open(context); Activation relu = new Activation(context, Activation.Kind.RELU);
                ClBuffer da = context.buffer(a); ClBuffer db = context.buffer(b); ClBuffer dgate = context.buffer(gate);
                ClBuffer fused = context.buffer((long) count * Float.BYTES); ClBuffer apart = context.buffer((long) count * Float.BYTES)) {
            long before = gemm.launches();
            gemm.runGated(shape, da, db, fused, dgate);
            if (path != Path.LOCAL_TILED) {
                assertEquals(path == Path.DIRECT ? 1 : 2, gemm.launches() - before, "launches of the fused " + shape);
            }
            gemm.run(shape, da, db, apart);
            relu.backward(dgate, null, apart, apart, count);
            float[] got = fused.readFloats(context.queue());
            Tolerance.assertSameBits(got, apart.readFloats(context.queue()), path + " gate epilogue vs relu_bwd " + shape);
            double[] product = OpTesting.toDouble(GemmReference.run(shape, a, b, new float[count], null));
            double[] want = ActivationReference.backward(Activation.Kind.RELU, 0, OpTesting.toDouble(gate), null, product);
            Tolerance.FLOAT_LONG_SUM.assertClose(got, OpTesting.toFloat(want), path + " gate epilogue vs twin " + shape);
        }
    }

    static void check(Path path, GemmShape shape, boolean withBias) {
        ClContext context = TestDevices.context();
        float[] a = RandomArrays.uniform(1, shape.aFloats());
        float[] b = RandomArrays.uniform(2, shape.bFloats());
        float[] c = RandomArrays.uniform(3, shape.cFloats());
        float[] bias = withBias ? RandomArrays.uniform(4, shape.n()) : null;
        float[] want = GemmReference.run(shape, a, b, c, bias);
        try (Gemm gemm = path.open(context);
                ClBuffer da = context.buffer(a); ClBuffer db = context.buffer(b); ClBuffer dc = context.buffer(c);
                ClBuffer dbias = withBias ? context.buffer(bias) : null) {
            assertEquals(path == Path.DIRECT, gemm.runsDirect(shape), "routing of " + shape);
            gemm.run(shape, da, db, dc, dbias);
            float[] got = dc.readFloats(context.queue());
            Tolerance.FLOAT_LONG_SUM.assertClose(got, want, path + " " + gemm.describe() + " " + shape);
        }
    }
}
