package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Add;
import java.util.List;

/**
 * y = x + body(x); backward: the body gets dy, and dx = dy + d body / dx (the skip connection's
 * gradient added to the body's), with {@code add} of {@code opencl/elementwise.cl}.
 */
final class ResidualLayer implements Layer {
    private final LayerSpec.Residual spec;
    private final Chain body;
    private final Add add;
    private final int count;

    ResidualLayer(ClContext context, LayerSpec.Residual spec, Shape in, int batch, Chain.Factory factory) {
        this.spec = spec;
        this.body = new Chain(context, spec.body(), in, batch, factory);
        this.add = new Add(context);
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
        add.forward(a, b, out, count);
    }

    @Override
    public void close() {
        body.close();
        add.close();
    }
}
