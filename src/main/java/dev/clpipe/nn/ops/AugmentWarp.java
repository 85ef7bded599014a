package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.Defines;
import dev.clpipe.cl.KernelCatalog;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.cl.ProgramSpec;

/**
 * The {@code opencl/augment.cl} kernels for one channel count (-DCHANNELS), on interleaved 8-bit
 * image batches. The fused pass (crop/mirror/affine + colour) comes in two variants: per-pixel
 * work-items (the readable baseline) and one work-item per output row with explicit vectors
 * ({@code rows}), which measured 10-40x faster on PoCL (2-core Skylake): per-pixel work-items pay
 * PoCL's work-group overhead and do not vectorise through the gathers. Global sizes are rounded up
 * (the kernels guard their ids). Batches, plans and variants belong to {@code augment.Augmenter};
 * twin: {@code augment.ReferenceAugmenter}, tests: {@code augment.AugmenterTest} and neighbours.
 * Not thread-safe: kernel arguments are state.
 */
public final class AugmentWarp implements AutoCloseable {
    private static final long[] LOCAL = {16, 4, 1};
    /** Rows variant: a work-group of one row; PoCL runs it as a plain loop over explicit vectors. */
    private static final long[] ROW_LOCAL = {1, 1};

    /** An 8-bit image batch on the device: {@code count} images of height x width x channels. */
    public record Images(ClBuffer buffer, int width, int height, int channels) {}

    private final KernelLauncher kernels;
    private final boolean rows;

    public AugmentWarp(ClContext context, int channels, boolean rows) {
        ProgramSpec spec = spec(channels);
        KernelCatalog.register(spec);
        this.kernels = new KernelLauncher(context, spec);
        this.rows = rows;
    }

    public static ProgramSpec spec(int channels) {
        return Defines.of().set("CHANNELS", channels).spec("augment.cl");
    }

    /** Crop/mirror/affine + colour in one pass over {@code count} images; {@code pixelAligned} picks the interpolation-free kernel. */
    public void fused(Images in, Images out, ClBuffer params, int count, boolean pixelAligned) {
        String name = (pixelAligned ? "augment_copy" : "augment_warp") + (rows ? "_rows" : "");
        ClKernel kernel = kernels.kernel(name).arg(0, in.buffer()).arg(1, in.width()).arg(2, in.height())
                .arg(3, out.buffer()).arg(4, out.width()).arg(5, out.height()).arg(6, params).arg(7, count);
        if (rows) {
            kernels.launchRounded(kernel, new long[] {out.height(), count}, ROW_LOCAL);
        } else {
            long x = pixelAligned ? (long) out.width() * out.channels() : out.width();
            kernels.launchRounded(kernel, new long[] {x, out.height(), count}, LOCAL);
        }
    }

    /** Elastic warp of {@code in} (output-sized) into {@code out}, through the noise field and its row-smoothed copy. */
    public void elastic(Images in, Images out, ClBuffer noise, ClBuffer tmp, ClBuffer weights, int radius, ClBuffer keys, ClBuffer params,
            int count) {
        int w = in.width(), h = in.height();
        long[] borderRows = {h + 2L * radius, count};
        kernels.launchRounded(kernels.kernel("elastic_noise").arg(0, noise).arg(1, w).arg(2, h).arg(3, radius).arg(4, keys)
                .arg(5, count), borderRows, ROW_LOCAL);
        kernels.launchRounded(kernels.kernel("elastic_rows").arg(0, tmp).arg(1, noise).arg(2, w).arg(3, h).arg(4, radius)
                .arg(5, weights).arg(6, count), borderRows, ROW_LOCAL);
        kernels.launchRounded(kernels.kernel("elastic_warp").arg(0, in.buffer()).arg(1, out.buffer()).arg(2, w).arg(3, h)
                .arg(4, radius).arg(5, weights).arg(6, tmp).arg(7, params).arg(8, count), new long[] {h, count}, ROW_LOCAL);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
