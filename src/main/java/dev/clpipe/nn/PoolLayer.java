package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Pool2d;
import dev.clpipe.nn.ops.Pool2dNhwc;
import dev.clpipe.nn.ops.PoolWindow;

/** Max or average pooling of NHWC activations; max keeps its argmax for backward. */
final class PoolLayer implements Layer {
    private final LayerSpec.Pool spec;
    private final Shape in;
    private final int batch;
    private final Pool2dNhwc pool;
    private final ClBuffer argmax;

    PoolLayer(ClContext context, LayerSpec.Pool spec, Shape in, Shape out, int batch) {
        this.spec = spec;
        this.in = in;
        this.batch = batch;
        this.pool = new Pool2dNhwc(context, spec.max() ? Pool2d.Mode.MAX : Pool2d.Mode.AVERAGE,
                PoolWindow.of(spec.size(), spec.stride(), spec.pad()), true);
        this.argmax = context.buffer((long) batch * out.size() * Integer.BYTES);
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public void forward(ClBuffer x, ClBuffer y, boolean training, long step) {
        pool.forward(x, y, argmax, batch, in.height(), in.width(), in.channels());
    }

    @Override
    public void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, long step) {
        if (dx != null) pool.backward(dy, argmax, dx, batch, in.height(), in.width(), in.channels());
    }

    @Override
    public void close() {
        pool.close();
        argmax.close();
    }
}
