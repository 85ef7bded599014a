package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.KernelCatalog;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.cl.ProgramSpec;

/**
 * Input gradient for convolutions with at most 8 input channels and output channels in whole
 * float16 vectors (up to 64) ({@code opencl/conv_small.cl} conv_dgrad_small): one input pixel per work-item,
 * float16 products of dY and HWIO weight rows, lanes summed at the end. On LeNet's second layer it
 * replaces the general kernel, whose channel vectors would run over only 6 input channels.
 */
public final class SmallConvInputGrad implements AutoCloseable {
    private final Conv2dShape s;
    private final ClContext context;
    private final ClKernel kernel;

    public static boolean applies(Conv2dShape s) {
        return s.groups() == 1 && s.dilationH() == 1 && s.dilationW() == 1 && s.inChannels() <= 8
                && s.outChannels() % 16 == 0 && s.outChannels() <= 64;
    }

    public SmallConvInputGrad(ClContext context, Conv2dShape s) {
        if (!applies(s)) throw new IllegalArgumentException("small-conv input gradient does not handle " + s);
        this.s = s;
        this.context = context;
        ProgramSpec spec = SmallConv.spec(s);
        KernelCatalog.register(spec);
        this.kernel = context.program(spec).kernel("conv_dgrad_small");
    }

    /** dx (overwritten) = dL/dx from dy and the weights. Enqueued only. */
    public void backwardData(ClBuffer dy, ClBuffer w, ClBuffer dx) {
        kernel.arg(0, dy).arg(1, w).arg(2, dx).arg(3, s.inHeight()).arg(4, s.inWidth()).arg(5, s.outHeight()).arg(6, s.outWidth());
        long[] grid = {s.inWidth(), s.inHeight(), s.batch()};
        kernel.launch(context.queue(), grid, group(grid, context.device().maxWorkGroupSize()));
    }

    /** One image's input pixels per work-group, so the compiled form does not follow the rows of the batch. */
    static long[] group(long[] grid, long maxGroup) {
        return KernelLauncher.shapeLocal(grid, new long[] {grid[0], grid[1], 1}, maxGroup);
    }

    @Override
    public void close() {
        kernel.close();
    }
}
