package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.KernelLauncher;

/**
 * Batches a device-resident data set ({@code opencl/dataset.cl}): samples order[first ..
 * first + valid) are copied into a training batch x with their labels in y; rows from
 * {@code valid} to the batch size are zero with label -1 (ignored by the loss statistics).
 * {@link #bytes} normalises 8-bit pixels ((v - mean) * invStd); {@link #floats} copies float rows
 * (precomputed features). Twins: the plain-Java gathers of {@code DeviceDatasetTest} and
 * {@code DeviceFeaturesTest}.
 */
public final class GatherBatch implements AutoCloseable {
    private final KernelLauncher kernels;

    public GatherBatch(ClContext context) {
        this.kernels = new KernelLauncher(context, "dataset.cl");
    }

    /** {@code width} bytes per sample, normalised to floats. Enqueues only. */
    public void bytes(ClBuffer images, ClBuffer labels, ClBuffer order, ClBuffer x, ClBuffer y, int first, int valid, int batch,
            int width, float mean, float invStd) {
        boolean vectors = width % 16 == 0;
        launch(kernels.kernel(vectors ? "gather_batch16" : "gather_batch").arg(0, images).arg(1, labels).arg(2, order).arg(3, x).arg(4, y)
                .arg(5, first).arg(6, valid).arg(7, width).arg(8, mean).arg(9, invStd), batch, vectors ? width / 16 : width);
    }

    /** {@code width} floats per sample, copied as they are. Enqueues only. */
    public void floats(ClBuffer rows, ClBuffer labels, ClBuffer order, ClBuffer x, ClBuffer y, int first, int valid, int batch, int width) {
        launch(kernels.kernel("gather_rows").arg(0, rows).arg(1, labels).arg(2, order).arg(3, x).arg(4, y)
                .arg(5, first).arg(6, valid).arg(7, width), batch, width);
    }

    /**
     * Over the exact grid (items per row, batch) with work-groups inside one row: the items of a group read
     * consecutive elements of one sample (PoCL vectorises along the first dimension), and the group
     * size follows the width only, so a re-split to other rows compiles nothing.
     */
    private void launch(ClKernel kernel, int batch, int items) {
        if (batch <= 0 || items <= 0) return;
        long[] grid = {items, batch};
        kernel.launch(kernels.queue(), grid, KernelLauncher.shapeLocal(grid, new long[] {items, 1}, kernels.context().device().maxWorkGroupSize()));
    }

    @Override
    public void close() {
        kernels.close();
    }
}
