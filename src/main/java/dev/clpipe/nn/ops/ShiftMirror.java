package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;

/**
 * A test-time view of a normalised NHWC batch ({@code shift_mirror} of {@code opencl/views.cl}):
 * shifted by (dx, dy) pixels with zero fill, optionally mirrored. Twin: {@code nn.View#applyReference};
 * test: {@code ShiftMirrorTest}.
 */
public final class ShiftMirror implements AutoCloseable {
    private final KernelLauncher kernels;

    public ShiftMirror(ClContext context) {
        this.kernels = new KernelLauncher(context, "views.cl");
    }

    /** out = view(in) for {@code n} images of height x width x channels; in and out must differ. Enqueues only. */
    public void apply(ClBuffer in, ClBuffer out, int n, int height, int width, int channels, int dx, int dy, boolean mirror) {
        int total = n * height * width * channels;
        kernels.launch(kernels.kernel("shift_mirror").arg(0, in).arg(1, out).arg(2, height).arg(3, width)
                .arg(4, channels).arg(5, dx).arg(6, dy).arg(7, mirror ? 1 : 0).arg(8, total), total);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
