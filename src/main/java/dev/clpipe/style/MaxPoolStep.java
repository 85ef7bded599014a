package dev.clpipe.style;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Pool2d;
import dev.clpipe.nn.ops.Pool2dNhwc;
import dev.clpipe.nn.ops.PoolWindow;
import dev.clpipe.tensor.Tensor;

/** Max pooling through {@code nn.ops.Pool2dNhwc}; backward routes dy to the argmax of the last forward. */
final class MaxPoolStep extends OwnedBuffersStep {
    private final Pool2dNhwc pool;
    private final int h, w, c;
    private final ClBuffer argmax;

    MaxPoolStep(ClContext context, String name, int[] in, PoolWindow window) {
        super(context, name, in, new int[] {window.outH(in[0]), window.outW(in[1]), in[2]});
        this.pool = new Pool2dNhwc(context, Pool2d.Mode.MAX, window, false);
        this.h = in[0];
        this.w = in[1];
        this.c = in[2];
        this.argmax = context.buffer((long) out.size() * Integer.BYTES);
    }

    @Override
    public Tensor forward(Tensor x) {
        pool.forward(x.buffer(), out.buffer(), argmax, 1, h, w, c);
        return out;
    }

    @Override
    public Tensor backward(Tensor dy) {
        pool.backward(dy.buffer(), argmax, dx.buffer(), 1, h, w, c);
        return dx;
    }

    @Override
    public void close() {
        pool.close();
        argmax.close();
        super.close();
    }
}
