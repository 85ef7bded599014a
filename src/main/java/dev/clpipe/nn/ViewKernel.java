package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;

/** Makes a {@link View} of a normalised NHWC batch on the device ({@code opencl/views.cl}); enqueued. */
public final class ViewKernel implements AutoCloseable {
    private final DeviceKernels kernels;

    public ViewKernel(ClContext context) {
        this.kernels = new DeviceKernels(context, "views.cl");
    }

    /** out = view(in) for {@code n} images of {@code shape}; in and out must differ. */
    public void apply(View view, ClBuffer in, ClBuffer out, int n, Shape shape) {
        int total = n * shape.size();
        kernels.launch(kernels.kernel("shift_mirror").arg(0, in).arg(1, out).arg(2, shape.height()).arg(3, shape.width())
                .arg(4, shape.channels()).arg(5, view.dx()).arg(6, view.dy()).arg(7, view.mirror() ? 1 : 0).arg(8, total), total);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
