package dev.clpipe.nn.ops;

import static dev.clpipe.nn.ops.OpTesting.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.clpipe.cl.ClContext;
import dev.clpipe.tensor.Tensor;
import dev.clpipe.testing.TestDevices;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class DropoutTest {
    /** Known-answer vectors of Random123 (kat_vectors, philox4x32 10 rounds). */
    static final int[][][] KAT = {
            {{0, 0, 0, 0, 0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
            {{-1, -1, -1, -1, -1, -1}, {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
            {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0}, {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
    };

    @Test
    void javaPhiloxMatchesKnownAnswers() {
        for (int[][] v : KAT) {
            int[] in = v[0];
            assertArrayEquals(v[1], Philox.philox4x32(in[0], in[1], in[2], in[3], in[4], in[5]), Arrays.toString(in));
        }
    }

    @Test
    void maskIsAPureFunctionAndDropsAboutP() {
        boolean[] a = DropoutReference.mask(100_000, 0.3f, 42, 7);
        assertArrayEquals(a, DropoutReference.mask(100_000, 0.3f, 42, 7));
        assertFalse(Arrays.equals(a, DropoutReference.mask(100_000, 0.3f, 42, 8)), "another stream gives another mask");
        int dropped = 0;
        for (boolean keep : a) if (!keep) dropped++;
        assertEquals(0.3, dropped / 100_000.0, 0.01);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        int n = 37;
        float p = 0.4f;
        boolean[] keep = DropoutReference.mask(n, p, 5, 9);
        double scale = Dropout.scale(p);
        double[] x = toDouble(uniform(new Random(42), n, -1, 1)), dy = toDouble(uniform(new Random(43), n, -1, 1));
        double[] dx = new double[n];
        for (int i = 0; i < n; i++) dx[i] = keep[i] ? dy[i] * scale : 0;
        checkGradient("dropout", v -> {
            double s = 0;
            for (int i = 0; i < n; i++) if (keep[i]) s += dy[i] * v[i] * scale;
            return s;
        }, x, dx);
        // The kernel's backward is the same masked scaling (checked bit for bit below), so dx = twin dx.
        float[] twin = DropoutReference.apply(toFloat(dy), p, 5, 9);
        for (int i = 0; i < n; i++) assertEquals(dx[i], twin[i], 1e-6);
    }

    @Tag("kernel")
    @Test
    void devicePhiloxMatchesJava() {
        try (Dropout op = new Dropout(TestDevices.context(), 0.5f)) {
            for (int[][] v : KAT) {
                int[] in = v[0];
                assertArrayEquals(v[1], op.deviceWords(in[0], in[1], in[2], in[3], in[4], in[5]), Arrays.toString(in));
            }
        }
    }

    @Tag("kernel")
    @Test
    void kernelMaskIsIdenticalToTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(41);
        int[] sizes = TestDevices.underOclgrind() ? new int[] {1, 67} : new int[] {1, 3, 64, 67, 1001, 65_537};
        long seed = 0x1234_5678_9abcL, stream = (3L << 32) | 17;
        for (float p : new float[] {0f, 0.1f, 0.5f, 0.9f, 1f}) {
            try (Dropout op = new Dropout(ctx, p)) {
                for (int n : sizes) {
                    float[] x = uniform(r, n, -2, 2), dy = uniform(r, n, -1, 1);
                    try (Tensor tx = Tensor.fromHost(ctx, x, n); Tensor y = op.forward(tx, seed, stream);
                         Tensor tdy = Tensor.fromHost(ctx, dy, n); Tensor dx = op.backward(tdy, seed, stream)) {
                        assertArrayEquals(DropoutReference.apply(x, p, seed, stream), y.toHost(), "forward p=" + p + " n=" + n);
                        assertArrayEquals(DropoutReference.apply(dy, p, seed, stream), dx.toHost(), "backward p=" + p + " n=" + n);
                    }
                }
            }
        }
    }

    @Test
    void aSliceMaskIsThatSliceOfTheWholeMask() {
        boolean[] whole = DropoutReference.mask(1000, 0.3f, 42, 7);
        for (int offset : new int[] {0, 1, 3, 4, 250, 999}) {
            int n = Math.min(137, 1000 - offset);
            assertArrayEquals(Arrays.copyOfRange(whole, offset, offset + n), DropoutReference.mask(n, 0.3f, 42, 7, offset), "offset " + offset);
        }
    }

    @Tag("kernel")
    @Test
    void kernelSliceMaskIsIdenticalToTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(43);
        int[] sizes = TestDevices.underOclgrind() ? new int[] {1, 67} : new int[] {1, 3, 64, 67, 1001};
        int[] offsets = {0, 1, 2, 3, 4, 7, 130};
        long seed = 0x1234_5678_9abcL, stream = (3L << 32) | 17;
        for (float p : new float[] {0f, 0.5f, 1f}) {
            try (Dropout op = new Dropout(ctx, p)) {
                for (int n : sizes) {
                    for (int offset : offsets) {
                        float[] x = uniform(r, n, -2, 2);
                        try (Tensor tx = Tensor.fromHost(ctx, x, n); Tensor y = op.applyAt(tx, seed, stream, offset)) {
                            assertArrayEquals(DropoutReference.apply(x, p, seed, stream, offset), y.toHost(), "p=" + p + " n=" + n + " offset=" + offset);
                        }
                    }
                }
            }
        }
    }
}
