package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClEvent;
import dev.clpipe.cl.KernelLauncher;
import java.util.List;

/**
 * {@code out = sum_r weights[r] * inputs[r]} over 1-4 float vectors, accumulated in double in input
 * order without fused multiply-adds ({@code opencl/allreduce.cl}): the data-parallel gradient
 * all-reduce on a device, bit for bit the host sum of {@code nn.train.GradientAllReduce} (its
 * plain-Java twin). The inputs may be buffers of other devices of the same shared context.
 * Needs a device with doubles ({@link ClContext#supportsDoubles}).
 */
public final class WeightedSum implements AutoCloseable {
    /** Most inputs one launch sums. */
    public static final int MAX_INPUTS = 4;
    private final KernelLauncher kernels;

    public WeightedSum(ClContext context) {
        if (!context.supportsDoubles()) throw new IllegalArgumentException(context.device().describe() + " has no doubles (cl_khr_fp64) for the exact sum");
        this.kernels = new KernelLauncher(context, "allreduce.cl");
    }

    /**
     * Enqueues {@code out[0..n) = sum_r weights[r] * inputs.get(r)[0..n)} behind {@code after} (events of any queue of the
     * context: the other devices' gradients) and returns its event; {@code out} must not be one of the inputs.
     */
    public ClEvent sum(ClBuffer out, List<ClBuffer> inputs, double[] weights, int n, ClEvent... after) {
        int count = inputs.size();
        if (count < 1 || count > MAX_INPUTS) throw new IllegalArgumentException("sums 1 to " + MAX_INPUTS + " inputs, not " + count);
        if (weights.length != count) throw new IllegalArgumentException(count + " inputs but " + weights.length + " weights");
        var k = kernels.kernel("weighted_sum").arg(0, out);
        for (int r = 0; r < MAX_INPUTS; r++) {
            k.arg(1 + r, inputs.get(Math.min(r, count - 1)));
            k.arg(1 + MAX_INPUTS + r, r < count ? weights[r] : 0.0);
        }
        return kernels.launchAfter(k.arg(1 + 2 * MAX_INPUTS, count).arg(2 + 2 * MAX_INPUTS, n), n, after);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
