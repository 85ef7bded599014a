package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;

/**
 * Per-channel affine map of NHWC activations, {@code y = (x - sub[c]) * mul[c] + add[c]}
 * ({@code channel_affine} in {@code opencl/elementwise.cl}): input normalisation
 * ({@code (x - mean) / 255}) and scale layers or folded batch norm ({@code x * scale + offset})
 * of imported inference networks. The three per-channel vectors are device buffers of
 * {@code channels} floats. Enqueues only.
 */
public final class ChannelAffine implements AutoCloseable {
    private final KernelLauncher kernels;

    public ChannelAffine(ClContext context) {
        this.kernels = new KernelLauncher(context, "elementwise.cl");
    }

    /** y = (x - sub) * mul + add over {@code pixels} NHWC pixels of {@code channels} channels; y may be x. */
    public void forward(ClBuffer x, ClBuffer y, ClBuffer sub, ClBuffer mul, ClBuffer add, int channels, int pixels) {
        kernels.launchGrid(kernels.kernel("channel_affine").arg(0, x).arg(1, y).arg(2, sub).arg(3, mul).arg(4, add)
                .arg(5, channels).arg(6, pixels), channels, pixels);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
