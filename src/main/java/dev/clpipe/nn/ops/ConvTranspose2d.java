package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;

/**
 * Transposed convolution of NHWC maps, groups 1 ({@code opencl/conv_transpose.cl}), for the
 * inference of imported models (ONNX ConvTranspose). Weights {@code [kh][kw][in][out]}, bias
 * {@code [out]}. Enqueues only.
 */
public final class ConvTranspose2d implements AutoCloseable {
    private final KernelLauncher kernels;
    private final ConvTransposeWindow window;

    public ConvTranspose2d(ClContext context, ConvTransposeWindow window) {
        this.kernels = new KernelLauncher(context, "conv_transpose.cl");
        this.window = window;
    }

    /** y {@code [n, outH(h), outW(w), out]} from x {@code [n, h, w, in]}. */
    public void forward(ClBuffer x, ClBuffer weights, ClBuffer bias, ClBuffer y, int n, int h, int w, int in, int out) {
        int oh = window.outH(h), ow = window.outW(w), rows = n * oh;
        if (oh < 1 || ow < 1) throw new IllegalArgumentException("transposed convolution of " + h + "x" + w + " with " + window + " has no output");
        kernels.launchGrid(kernels.kernel("conv_transpose_nhwc").arg(0, x).arg(1, weights).arg(2, bias).arg(3, y)
                .arg(4, h).arg(5, w).arg(6, in).arg(7, oh).arg(8, ow).arg(9, out).arg(10, window.kernelH()).arg(11, window.kernelW())
                .arg(12, window.strideH()).arg(13, window.strideW()).arg(14, window.dilationH()).arg(15, window.dilationW())
                .arg(16, window.padTop()).arg(17, window.padLeft()).arg(18, rows), out, ow, rows);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
