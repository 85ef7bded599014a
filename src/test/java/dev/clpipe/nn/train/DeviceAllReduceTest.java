package dev.clpipe.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.WeightedSum;
import dev.clpipe.testing.TestDevices;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The device all-reduce ({@link WeightedSum}, {@code opencl/allreduce.cl}) gives, bit for bit, the
 * floats of its plain-Java twin, the host all-reduce {@link GradientAllReduce}: 1-4 replicas,
 * sizes around the work-group size, uneven split weights, values of very different magnitudes
 * (where a float accumulation or a fused multiply-add would round differently).
 */
class DeviceAllReduceTest {
    @Test
    void theDeviceSumIsTheHostSumBitForBit() {
        ClContext ctx = TestDevices.context();
        assumeTrue(ctx.supportsDoubles(), "the device sum needs cl_khr_fp64");
        Random random = new Random(5);
        int[] sizes = TestDevices.underOclgrind() ? new int[] {1, 67} : new int[] {1, 63, 64, 65, 150, 2400, 48_000, 100_003};
        try (WeightedSum sum = new WeightedSum(ctx)) {
            for (int replicas = 1; replicas <= WeightedSum.MAX_INPUTS; replicas++) {
                for (int n : sizes) {
                    double[] weights = unevenWeights(random, replicas, 256);
                    List<float[]> grads = new ArrayList<>();
                    for (int r = 0; r < replicas; r++) grads.add(values(random, n));
                    float[] want = hostSum(grads, weights);
                    List<ClBuffer> inputs = new ArrayList<>();
                    try (ClBuffer out = ctx.buffer((long) n * Float.BYTES)) {
                        for (float[] g : grads) inputs.add(ctx.buffer(g));
                        sum.sum(out, inputs, weights, n).close();
                        assertArrayEquals(want, out.readFloats(ctx.queue()), replicas + " replicas, " + n + " floats");
                    } finally {
                        inputs.forEach(ClBuffer::close);
                    }
                }
            }
        }
    }

    @Test
    void moreInputsThanOneLaunchSumsAreRefused() {
        ClContext ctx = TestDevices.context();
        assumeTrue(ctx.supportsDoubles());
        try (WeightedSum sum = new WeightedSum(ctx); ClBuffer b = ctx.buffer(4)) {
            List<ClBuffer> five = List.of(b, b, b, b, b);
            assertThrows(IllegalArgumentException.class, () -> sum.sum(b, five, new double[5], 1));
            assertThrows(IllegalArgumentException.class, () -> sum.sum(b, List.of(b, b), new double[3], 1));
        }
    }

    /** rows_r / batch for a random split of {@code batch} rows (each replica at least one row). */
    private static double[] unevenWeights(Random random, int replicas, int batch) {
        int[] rows = new int[replicas];
        int left = batch;
        for (int r = 0; r < replicas - 1; r++) {
            rows[r] = 1 + random.nextInt(left - (replicas - r));
            left -= rows[r];
        }
        rows[replicas - 1] = left;
        double[] w = new double[replicas];
        for (int r = 0; r < replicas; r++) w[r] = (double) rows[r] / batch;
        return w;
    }

    private static float[] values(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 6));
        return v;
    }

    /** The host all-reduce on copies of the gradients (one parameter, one bucket). */
    private static float[] hostSum(List<float[]> grads, double[] weights) {
        List<FloatBuffer[]> views = new ArrayList<>();
        for (float[] g : grads) views.add(new FloatBuffer[] {FloatBuffer.wrap(g.clone())});
        GradientAllReduce.reduce(new GradientBuckets.Bucket(0, 0, grads.get(0).length, 0), views, weights);
        float[] out = new float[grads.get(0).length];
        views.get(0)[0].get(0, out);
        return out;
    }
}
