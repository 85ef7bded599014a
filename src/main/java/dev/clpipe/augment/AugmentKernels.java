package dev.clpipe.augment;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.ClProgram;
import dev.clpipe.cl.ClQueue;
import dev.clpipe.cl.KernelCatalog;
import dev.clpipe.cl.ProgramSpec;

/**
 * The augment.cl kernels for one channel count, with their launch shapes. The fused pass comes in
 * two variants: {@link KernelVariant#SIMPLE} (one work-item per pixel or byte: the readable baseline) and
 * {@link KernelVariant#ROWS} (one work-item per output row with explicit vectors), which measured 10-40x
 * faster on PoCL (2-core Skylake): per-pixel work-items pay PoCL's work-group overhead and do not
 * vectorise through the gathers. Global sizes are rounded up (the kernels guard their ids).
 * Not thread-safe: kernel arguments are state.
 */
final class AugmentKernels implements AutoCloseable {
    static final long[] LOCAL = {16, 4, 1};
    /** Rows variant: a work-group of one row; PoCL runs it as a plain loop over explicit vectors. */
    static final long[] ROW_LOCAL = {1, 1};

    private final ClKernel warp, copy, warpRows, copyRows, elasticNoise, elasticRows, elasticWarp;
    private final KernelVariant variant;

    AugmentKernels(ClContext context, int channels) {
        this(context, channels, KernelVariant.ROWS);
    }

    AugmentKernels(ClContext context, int channels, KernelVariant variant) {
        this.variant = variant;
        ProgramSpec spec = spec(channels);
        KernelCatalog.register(spec);
        ClProgram program = context.program(spec);
        warp = program.kernel("augment_warp");
        copy = program.kernel("augment_copy");
        warpRows = program.kernel("augment_warp_rows");
        copyRows = program.kernel("augment_copy_rows");
        elasticNoise = program.kernel("elastic_noise");
        elasticRows = program.kernel("elastic_rows");
        elasticWarp = program.kernel("elastic_warp");
    }

    static ProgramSpec spec(int channels) {
        return new ProgramSpec("augment.cl", "-D CHANNELS=" + channels);
    }

    /** Crop/mirror/affine + colour in one pass; {@code pixelAligned} picks the interpolation-free kernel. */
    void fused(ClQueue queue, DeviceBatch in, DeviceBatch out, ClBuffer params, int count, boolean pixelAligned) {
        ClKernel kernel = variant == KernelVariant.ROWS ? (pixelAligned ? copyRows : warpRows) : (pixelAligned ? copy : warp);
        kernel.arg(0, in.buffer()).arg(1, in.width()).arg(2, in.height())
                .arg(3, out.buffer()).arg(4, out.width()).arg(5, out.height())
                .arg(6, params).arg(7, count);
        if (variant == KernelVariant.ROWS) {
            kernel.launch(queue, new long[] {out.height(), count}, ROW_LOCAL);
        } else {
            long x = pixelAligned ? (long) out.width() * out.channels() : out.width();
            kernel.launch(queue, global(x, out.height(), count), LOCAL);
        }
    }

    /** Elastic warp of {@code in} (output-sized) into {@code out}, through the noise field and its row-smoothed copy. */
    void elastic(ClQueue queue, DeviceBatch in, DeviceBatch out, ClBuffer noise, ClBuffer tmp, ClBuffer weights, int radius,
            ClBuffer keys, ClBuffer params, int count) {
        int w = in.width(), h = in.height();
        long[] borderRows = {h + 2L * radius, count};
        elasticNoise.arg(0, noise).arg(1, w).arg(2, h).arg(3, radius).arg(4, keys).arg(5, count)
                .launch(queue, borderRows, ROW_LOCAL);
        elasticRows.arg(0, tmp).arg(1, noise).arg(2, w).arg(3, h).arg(4, radius).arg(5, weights).arg(6, count)
                .launch(queue, borderRows, ROW_LOCAL);
        elasticWarp.arg(0, in.buffer()).arg(1, out.buffer()).arg(2, w).arg(3, h).arg(4, radius).arg(5, weights)
                .arg(6, tmp).arg(7, params).arg(8, count)
                .launch(queue, new long[] {h, count}, ROW_LOCAL);
    }

    private static long[] global(long x, long y, long z) {
        return new long[] {roundUp(x, LOCAL[0]), roundUp(y, LOCAL[1]), roundUp(z, LOCAL[2])};
    }

    private static long roundUp(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    @Override
    public void close() {
        warp.close();
        copy.close();
        warpRows.close();
        copyRows.close();
        elasticNoise.close();
        elasticRows.close();
        elasticWarp.close();
    }
}
