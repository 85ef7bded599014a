package dev.clpipe.nn.ops;

import static dev.clpipe.nn.ops.OpTesting.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clpipe.cl.ClContext;
import dev.clpipe.tensor.Tensor;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("kernel")
class ConcatAddTest {
    /** Plain-Java concat along channels: the twin of concat_channels. */
    static float[] concatReference(List<float[]> parts, int[] channels, int n, int hw) {
        int total = 0;
        for (int c : channels) total += c;
        float[] out = new float[n * total * hw];
        int offset = 0;
        for (int k = 0; k < parts.size(); k++) {
            for (int b = 0; b < n; b++) {
                System.arraycopy(parts.get(k), b * channels[k] * hw, out, (b * total + offset) * hw, channels[k] * hw);
            }
            offset += channels[k];
        }
        return out;
    }

    @Test
    void concatAndSplitMatchTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(51);
        int[][] cases = TestDevices.underOclgrind() ? new int[][] {{2, 3, 5, 1, 2}} : new int[][] {{2, 3, 5, 1, 2}, {1, 1, 1, 3, 4}, {4, 9, 7, 64, 32}, {3, 14, 14, 5, 7}};
        try (Concat op = new Concat(ctx)) {
            for (int[] k : cases) {
                int n = k[0], h = k[1], w = k[2];
                int[] channels = {k[3], k[4], 3};
                List<float[]> host = new ArrayList<>();
                List<Tensor> parts = new ArrayList<>();
                for (int c : channels) {
                    float[] a = uniform(r, n * c * h * w, -1, 1);
                    host.add(a);
                    parts.add(Tensor.fromHost(ctx, a, n, c, h, w));
                }
                float[] want = concatReference(host, channels, n, h * w);
                try (Tensor whole = op.forward(parts)) {
                    assertArrayEquals(new int[] {n, channels[0] + channels[1] + channels[2], h, w}, whole.shape());
                    Tolerance.EXACT.assertClose(whole.toHost(), want, "concat " + shape(k));
                    List<Tensor> split = op.backward(whole, channels);
                    for (int i = 0; i < channels.length; i++) {
                        Tolerance.EXACT.assertClose(split.get(i).toHost(), host.get(i), "split part " + i + " " + shape(k));
                        split.get(i).close();
                    }
                } finally {
                    parts.forEach(Tensor::close);
                }
            }
        }
    }

    @Test
    void concatRejectsMismatchedSpatialSize() {
        ClContext ctx = TestDevices.context();
        try (Concat op = new Concat(ctx); Tensor a = Tensor.zeros(ctx, 1, 2, 3, 3); Tensor b = Tensor.zeros(ctx, 1, 2, 3, 4)) {
            assertThrows(IllegalArgumentException.class, () -> op.forward(List.of(a, b)));
        }
    }

    @Test
    void addAndAccumulate() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(52);
        int[] sizes = TestDevices.underOclgrind() ? new int[] {67} : new int[] {1, 64, 67, 10_007};
        try (Add op = new Add(ctx)) {
            for (int n : sizes) {
                float[] a = uniform(r, n, -1, 1), b = uniform(r, n, -1, 1);
                float[] sum = new float[n], twice = new float[n];
                for (int i = 0; i < n; i++) {
                    sum[i] = a[i] + b[i];
                    twice[i] = sum[i] + b[i];
                }
                try (Tensor ta = Tensor.fromHost(ctx, a, n); Tensor tb = Tensor.fromHost(ctx, b, n); Tensor z = op.forward(ta, tb)) {
                    Tolerance.EXACT.assertClose(z.toHost(), sum, "add n=" + n);
                    op.accumulate(z, tb);
                    Tolerance.FLOAT.assertClose(z.toHost(), twice, "accumulate n=" + n);
                }
            }
        }
    }
}
