package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.ClProgram;
import dev.clpipe.cl.KernelCatalog;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.cl.ProgramSpec;

/**
 * Forward and weight gradient for convolutions with at most 8 output channels and at most 32
 * taps x input channels ({@code opencl/conv_small.cl}): forward computes one pixel's output
 * channels as one float8; the weight gradient takes one image per work-item with a float8
 * accumulator per (tap, input channel), then a deterministic sum over images. On LeNet's first
 * layer they replace the general kernels, whose 16-lane channel vectors would be mostly empty.
 */
public final class SmallConv implements AutoCloseable {
    private final Conv2dShape s;
    private final ClContext context;
    private final ClKernel grad;
    private final ClKernel reduce;
    private final ClKernel forward;
    private final ClBuffer partial;

    public static boolean applies(Conv2dShape s) {
        return s.groups() == 1 && s.dilationH() == 1 && s.dilationW() == 1 && s.outChannels() <= 8
                && s.kernelHeight() * s.kernelWidth() * s.inChannels() <= 32;
    }

    /** conv_small.cl with the shape compiled in (SmallConvInputGrad uses the same program). */
    static ProgramSpec spec(Conv2dShape s) {
        return new ProgramSpec("conv_small.cl", "-DSC_KH=" + s.kernelHeight() + " -DSC_KW=" + s.kernelWidth() + " -DSC_CIN=" + s.inChannels()
                + " -DSC_COUT=" + s.outChannels() + " -DSC_SH=" + s.strideH() + " -DSC_SW=" + s.strideW() + " -DSC_PT=" + s.padTop()
                + " -DSC_PL=" + s.padLeft());
    }

    public SmallConv(ClContext context, Conv2dShape s) {
        if (!applies(s)) throw new IllegalArgumentException("small-conv weight gradient does not handle " + s);
        this.s = s;
        this.context = context;
        ProgramSpec spec = spec(s);
        KernelCatalog.register(spec);
        ClProgram program = context.program(spec);
        this.grad = program.kernel("conv_wgrad_small");
        this.reduce = program.kernel("conv_wgrad_small_reduce");
        this.forward = program.kernel("conv_fwd_small");
        this.partial = context.buffer((long) s.batch() * (s.kernelHeight() * s.kernelWidth() * s.inChannels() + 1) * 8 * Float.BYTES);
    }

    /** y = conv(x, w) + bias: one launch, one output row per work-item. Enqueued only. */
    public void forward(ClBuffer x, ClBuffer w, ClBuffer bias, ClBuffer y) {
        forward.arg(0, x).arg(1, w).arg(2, bias).arg(3, y).arg(4, s.inHeight()).arg(5, s.inWidth()).arg(6, s.outHeight()).arg(7, s.outWidth());
        long[] grid = {s.outHeight(), s.batch()};
        forward.launch(context.queue(), grid, forwardGroup(grid, context.device().maxWorkGroupSize()));
    }

    /** dw (HWIO) and db (both overwritten) from the forward input x and dy. Enqueued only. */
    public void backwardWeights(ClBuffer x, ClBuffer dy, ClBuffer dw, ClBuffer db) {
        grad.arg(0, x).arg(1, dy).arg(2, partial).arg(3, s.inHeight()).arg(4, s.inWidth()).arg(5, s.outHeight()).arg(6, s.outWidth())
                .arg(7, s.batch());
        grad.launch(context.queue(), new long[] {s.batch()}, new long[] {1}); // one image per group: its accumulators stay in registers
        int outputs = (int) s.weightFloats() + s.outChannels();
        reduce.arg(0, partial).arg(1, dw).arg(2, db).arg(3, s.batch());
        reduce.launch(context.queue(), new long[] {outputs}, null);
    }

    /** conv_fwd_small's group over (OH, N): whole output columns of up to 8 images, so the compiled form does not follow the rows. */
    static long[] forwardGroup(long[] grid, long maxGroup) {
        return KernelLauncher.shapeLocal(grid, new long[] {grid[0], KernelLauncher.rowGroup(grid[1])}, maxGroup);
    }

    @Override
    public void close() {
        grad.close();
        forward.close();
        reduce.close();
        partial.close();
    }
}
