package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.KernelLauncher;
import dev.clpipe.tensor.Tensor;

/**
 * Element-wise add for residual connections ({@code opencl/elementwise.cl}). Its backward is the
 * identity for both inputs (pass dy on to each); where a tensor fans out, gradients are summed
 * with {@link #accumulate}.
 */
public final class Add implements AutoCloseable {
    private final KernelLauncher kernels;

    public Add(ClContext context) {
        this.kernels = new KernelLauncher(context, "elementwise.cl");
    }

    /** z = a + b (same shape). */
    public Tensor forward(Tensor a, Tensor b) {
        requireSameShape(a, b);
        Tensor z = a.emptyLike();
        int n = a.size();
        kernels.launch(kernels.kernel("add").arg(0, a.buffer()).arg(1, b.buffer()).arg(2, z.buffer()).arg(3, n), n);
        return z;
    }

    /** z = a + b over the first {@code n} floats of caller-owned buffers; z may alias a or b. Enqueues only. */
    public void forward(ClBuffer a, ClBuffer b, ClBuffer z, int n) {
        kernels.launch(kernels.kernel("add").arg(0, a).arg(1, b).arg(2, z).arg(3, n), n);
    }

    /** target += grad over the first {@code n} floats of caller-owned buffers. Enqueues only. */
    public void accumulate(ClBuffer target, ClBuffer grad, int n) {
        kernels.launch(kernels.kernel("axpy").arg(0, 1f).arg(1, grad).arg(2, target).arg(3, n), n);
    }

    /** target += grad, in place (gradient accumulation at a fan-out). */
    public void accumulate(Tensor target, Tensor grad) {
        requireSameShape(target, grad);
        int n = target.size();
        kernels.launch(kernels.kernel("axpy").arg(0, 1f).arg(1, grad.buffer()).arg(2, target.buffer()).arg(3, n), n);
    }

    private static void requireSameShape(Tensor a, Tensor b) {
        if (!a.sameShape(b)) throw new IllegalArgumentException("add: shapes differ: " + a + " and " + b);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
