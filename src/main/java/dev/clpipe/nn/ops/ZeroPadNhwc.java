package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;

/**
 * Zero padding of NHWC maps ({@code zero_pad_nhwc} in {@code opencl/elementwise.cl}): rows and
 * columns on any side, and zero channels appended after the existing ones (the dlib ResNet
 * shortcut that widens 32 to 64 channels, and face-api's zero row/column that aligns a strided
 * branch with its shortcut). Enqueues only.
 */
public final class ZeroPadNhwc implements AutoCloseable {
    /** Padding amounts: rows before/after, columns before/after, channels appended. */
    public record Pads(int top, int bottom, int left, int right, int channels) {
        public Pads {
            if (top < 0 || bottom < 0 || left < 0 || right < 0 || channels < 0) {
                throw new IllegalArgumentException("zero padding must be >= 0, got " + this);
            }
        }
    }

    private final KernelLauncher kernels;

    public ZeroPadNhwc(ClContext context) {
        this.kernels = new KernelLauncher(context, "elementwise.cl");
    }

    /** out (N x (H+top+bottom) x (W+left+right) x (C+channels)) from in (N x H x W x C). */
    public void forward(ClBuffer in, ClBuffer out, int n, int h, int w, int c, Pads p) {
        int oh = h + p.top() + p.bottom(), ow = w + p.left() + p.right(), oc = c + p.channels();
        kernels.launchGrid(kernels.kernel("zero_pad_nhwc").arg(0, in).arg(1, out).arg(2, h).arg(3, w).arg(4, c)
                .arg(5, oh).arg(6, ow).arg(7, oc).arg(8, p.top()).arg(9, p.left()).arg(10, n * oh), oc, ow, n * oh);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
