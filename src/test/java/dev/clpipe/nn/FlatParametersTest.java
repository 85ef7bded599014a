package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The flat layout of a replica's parameters: one update launch over every parameter
 * ({@link Optimizer#stepFlat}) gives bit for bit the floats of one launch per parameter
 * ({@link Optimizer#step(double)}), for Adam, AdamW and SGD with and without momentum, over
 * parameter sizes that leave padding between the slices; the padding stays zero; the state keeps
 * its names (checkpoints) and a device copy of another layout's parameters and state is exact.
 */
@Tag("kernel")
class FlatParametersTest {
    private static final int[] SIZES = {150, 6, 2400, 16, 1, 48000, 120, 10, 33, 7};
    private static final int STEPS = 4;

    @Test
    void oneFlatUpdateGivesTheFloatsOfOneUpdatePerParameter() {
        ClContext ctx = TestDevices.context();
        int[] sizes = TestDevices.underOclgrind() ? new int[] {150, 6, 33, 1, 7} : SIZES;
        List<OptimizerSpec> specs = List.of(OptimizerSpec.adam(1e-2, 0), OptimizerSpec.adam(1e-2, 1e-3), OptimizerSpec.sgd(0.05, 0.9, 5e-4),
                OptimizerSpec.sgd(0.1, 0, 0));
        for (OptimizerSpec spec : specs) {
            List<Param> perTensor = params(ctx, sizes), flatParams = params(ctx, sizes);
            try (Optimizer a = new Optimizer(ctx, spec, perTensor); Optimizer b = new Optimizer(ctx, spec, flatParams);
                    FlatParameters flat = new FlatParameters(ctx, flatParams, b)) {
                assertEquals(a.stateNames(), b.stateNames(), "state names (checkpoints) " + spec);
                Random r = new Random(5);
                for (int s = 0; s < STEPS; s++) {
                    for (int i = 0; i < sizes.length; i++) {
                        float[] g = uniform(r, sizes[i]);
                        perTensor.get(i).grad().write(ctx.queue(), g);
                        flatParams.get(i).grad().write(ctx.queue(), g);
                    }
                    a.step(0.01 * (s + 1));
                    b.stepFlat(0.01 * (s + 1), flat.values(), flat.gradients(), flat.floats());
                }
                for (int i = 0; i < sizes.length; i++) {
                    assertArrayEquals(perTensor.get(i).value().readFloats(ctx.queue()), flatParams.get(i).value().readFloats(ctx.queue()),
                            spec + " parameter " + i);
                }
                for (String name : a.stateNames()) {
                    assertArrayEquals(a.state().get(name).readFloats(ctx.queue()), b.state().get(name).readFloats(ctx.queue()), spec + " " + name);
                }
                assertPaddingIsZero(flat.values().readFloats(ctx.queue()), sizes, flat, ctx, spec + " values");
            } finally {
                perTensor.forEach(Param::close);
                flatParams.forEach(Param::close);
            }
        }
    }

    @Test
    void aDeviceCopyOfAnotherLayoutIsExact() {
        ClContext ctx = TestDevices.context();
        int[] sizes = {150, 6, 33};
        OptimizerSpec spec = OptimizerSpec.adam(1e-2, 0);
        List<Param> lead = params(ctx, sizes), follower = params(ctx, sizes);
        try (Optimizer a = new Optimizer(ctx, spec, lead); Optimizer b = new Optimizer(ctx, spec, follower);
                FlatParameters fa = new FlatParameters(ctx, lead, a); FlatParameters fb = new FlatParameters(ctx, follower, b)) {
            Random r = new Random(9);
            for (int i = 0; i < sizes.length; i++) lead.get(i).grad().write(ctx.queue(), uniform(r, sizes[i]));
            a.stepFlat(0.01, fa.values(), fa.gradients(), fa.floats());
            fb.copyFrom(ctx.queue(), fa);
            b.copyStateFrom(ctx.queue(), a);
            assertEquals(a.steps(), b.steps());
            assertArrayEquals(fa.values().readFloats(ctx.queue()), fb.values().readFloats(ctx.queue()));
            for (String name : a.stateNames()) assertArrayEquals(a.state().get(name).readFloats(ctx.queue()), b.state().get(name).readFloats(ctx.queue()), name);
        } finally {
            lead.forEach(Param::close);
            follower.forEach(Param::close);
        }
    }

    /** Floats outside every parameter's slice (alignment padding) must stay zero through the updates. */
    private static void assertPaddingIsZero(float[] all, int[] sizes, FlatParameters flat, ClContext ctx, String what) {
        long align = Math.max(1, ctx.baseAlignBytes() / Float.BYTES);
        boolean[] used = new boolean[all.length];
        long at = 0;
        for (int size : sizes) {
            assertEquals(0, at % align, "slice offsets are aligned");
            for (int k = 0; k < size; k++) used[(int) at + k] = true;
            at = FlatParameters.roundUp(at + size, align);
        }
        assertEquals(Math.max(at, 1), flat.floats());
        int padding = 0;
        for (int k = 0; k < all.length; k++) {
            if (used[k]) continue;
            padding++;
            assertEquals(0f, all[k], what + " padding at " + k);
        }
        assertTrue(padding > 0 || align == 1, "the sizes leave padding to check");
    }

    private static List<Param> params(ClContext ctx, int[] sizes) {
        List<Param> out = new ArrayList<>();
        Random r = new Random(3);
        for (int i = 0; i < sizes.length; i++) {
            Param p = new Param(ctx, "p" + i, new int[] {sizes[i]}, sizes[i], Param.Fill.ZEROS, true);
            p.value().write(ctx.queue(), uniform(r, sizes[i]));
            out.add(p);
        }
        return out;
    }

    private static float[] uniform(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat() * 2 - 1;
        return v;
    }
}
