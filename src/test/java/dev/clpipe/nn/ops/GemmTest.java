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

/** Every GEMM variant against {@link GemmReference} over odd, square, thin and transposed shapes. */
@Tag("kernel")
class GemmTest {
    static Stream<Arguments> cases() {
        int[][] small = {{1, 1, 1}, {3, 5, 7}, {8, 32, 16}, {9, 33, 17}, {17, 15, 3}};
        // {300, 40, 600}: packed A exceeds one L2 group, so gemm_rb runs several row-block groups
        int[][] large = {{64, 64, 64}, {100, 70, 129}, {31, 257, 40}, {128, 10, 784}, {257, 96, 33}, {300, 40, 600}};
        List<int[]> sizes = new ArrayList<>(List.of(small));
        if (!TestDevices.underOclgrind()) sizes.addAll(List.of(large));
        List<Arguments> out = new ArrayList<>();
        for (OpVariant variant : new OpVariant[] {OpVariant.REGISTER_BLOCKED, OpVariant.LOCAL_TILED}) {
            for (int[] s : sizes) {
                for (int t = 0; t < 4; t++) out.add(Arguments.of(variant, GemmShape.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesReference(OpVariant variant, GemmShape shape) {
        check(variant, shape, false);
    }

    @ParameterizedTest(name = "{0} alpha/beta/bias {1}")
    @MethodSource("cases")
    void alphaBetaAndBias(OpVariant variant, GemmShape shape) {
        check(variant, shape.scaled(0.5f, -1.25f), true);
    }

    static void check(OpVariant variant, GemmShape shape, boolean withBias) {
        ClContext context = TestDevices.context();
        float[] a = RandomArrays.uniform(1, shape.aFloats());
        float[] b = RandomArrays.uniform(2, shape.bFloats());
        float[] c = RandomArrays.uniform(3, shape.cFloats());
        float[] bias = withBias ? RandomArrays.uniform(4, shape.n()) : null;
        float[] want = GemmReference.run(shape, a, b, c, bias);
        try (Gemm gemm = Gemm.create(context, variant);
                ClBuffer da = context.buffer(a); ClBuffer db = context.buffer(b); ClBuffer dc = context.buffer(c);
                ClBuffer dbias = withBias ? context.buffer(bias) : null) {
            gemm.run(shape, da, db, dc, dbias);
            float[] got = dc.readFloats(context.queue());
            Tolerance.FLOAT_LONG_SUM.assertClose(got, want, gemm.describe() + " " + shape);
        }
    }
}
