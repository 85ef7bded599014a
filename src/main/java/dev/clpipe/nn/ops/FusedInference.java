package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;

/**
 * Inference-only fused kernels ({@code opencl/fused.cl}) that save whole-map round trips on the
 * large early layers of imported nets: max pooling + the activation after it. The activation is
 * {@code v > 0 ? v : slope * v} (slope 1 none, 0 relu); it must be increasing for the max to
 * commute. Enqueues only. Twin: {@link FusedInferenceReference}.
 */
public final class FusedInference implements AutoCloseable {
    private final KernelLauncher kernels;

    public FusedInference(ClContext context) {
        this.kernels = new KernelLauncher(context, "fused.cl");
    }

    /** y = act(maxpool(x)) for x of {@code n x h x w x c}; pooling window from {@code p} (square). */
    public void maxPoolAct(ClBuffer x, ClBuffer y, int n, int h, int w, int c, PoolWindow p, float slope) {
        requireSquare(p);
        int oh = p.outH(h), ow = p.outW(w);
        if (c % 8 == 0) {
            if (n * oh <= 0 || ow <= 0) return;
            kernels.kernel("maxpool_act_nhwc_rows8").arg(0, x).arg(1, y).arg(2, h).arg(3, w).arg(4, c).arg(5, oh).arg(6, ow)
                    .arg(7, p.kernelH()).arg(8, p.strideH()).arg(9, p.padTop()).arg(10, p.padLeft()).arg(11, slope)
                    .launch(kernels.queue(), new long[] {c / 8, (long) n * oh}, new long[] {1, 1});
            return;
        }
        kernels.launchGrid(kernels.kernel("maxpool_act_nhwc").arg(0, x).arg(1, y).arg(2, h).arg(3, w).arg(4, c).arg(5, oh).arg(6, ow)
                .arg(7, p.kernelH()).arg(8, p.strideH()).arg(9, p.padTop()).arg(10, p.padLeft()).arg(11, slope).arg(12, n * oh), c, ow, n * oh);
    }

    private static void requireSquare(PoolWindow p) {
        if (p.kernelH() != p.kernelW() || p.strideH() != p.strideW()) throw new IllegalArgumentException("fused pooling takes square windows and strides, got " + p);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
