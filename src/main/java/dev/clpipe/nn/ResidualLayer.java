package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import java.util.List;

/**
 * y = x + body(x); backward: the body gets dy, and dx = dy + d body / dx (the skip connection's
 * gradient added to the body's), with {@code add} of {@code opencl/elementwise.cl}.
 */
final class ResidualLayer implements Layer {
    private final LayerSpec.Residual spec;
    private final Chain body;
    private final DeviceKernels kernels;
    private final int count;

    ResidualLayer(ClContext context, LayerSpec.Residual spec, Shape in, int batch, Chain.Factory factory) {
        this.spec = spec;
        this.body = new Chain(context, spec.body(), in, batch, factory);
        this.kernels = new DeviceKernels(context, "elementwise.cl");
        this.count = batch * in.size();
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public List<Param> params() {
        return body.params();
    }

    @Override
    public void forward(ClBuffer x, ClBuffer y, boolean training, long step) {
        add(x, body.forward(x, training, step), y);
    }

    @Override
    public void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, long step) {
        ClBuffer bodyDx = body.backward(x, dy, step);
        if (dx != null) add(dy, bodyDx, dx);
    }

    private void add(ClBuffer a, ClBuffer b, ClBuffer out) {
        kernels.launch(kernels.kernel("add").arg(0, a).arg(1, b).arg(2, out).arg(3, count), count);
    }

    @Override
    public void close() {
        body.close();
        kernels.close();
    }
}
