package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;

/**
 * db[j] = sum over rows of dy[r][j] ({@code column_sums} of {@code opencl/gemm.cl}): the bias
 * gradient of a dense layer where {@link Gemm#runWithRowSums} cannot fold it into the weight-gradient launch (shapes
 * beyond the direct kernel's size, the LocalTiled variant). Test: {@code ColumnSumsTest} against a plain-Java sum.
 */
public final class ColumnSums implements AutoCloseable {
    private final KernelLauncher kernels;

    public ColumnSums(ClContext context) {
        this.kernels = new KernelLauncher(context, "gemm.cl");
    }

    /** Overwrites db[0..cols) with the column sums of the rows x cols matrix dy. Enqueues only. */
    public void run(ClBuffer dy, ClBuffer db, int rows, int cols) {
        kernels.launch(kernels.kernel("column_sums").arg(0, dy).arg(1, db).arg(2, rows).arg(3, cols), cols);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
