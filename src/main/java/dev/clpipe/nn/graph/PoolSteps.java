package dev.clpipe.nn.graph;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ops.Pool2d;
import dev.clpipe.nn.ops.Pool2dNhwc;
import dev.clpipe.nn.ops.PoolWindow;

/** Training steps of pooling: max and average windows with any padding ('same' included), and the global average. */
final class PoolSteps {
    private PoolSteps() {}

    /** Max pooling saves its argmax for backward; average pooling spreads dy over the window. */
    static PlanStep pool(PlanParts parts, Node.Pool p, NodeBuffers b) {
        return window(parts, p.in(), p.mode(), p.window(), p.countPad(), b);
    }

    /**
     * A max pool with the ReLU it reads folded in ({@link ReluFolds}): forward pools the ReLU's input
     * into max(0, window max); backward writes the ReLU's input gradient (dy only where the output is
     * above 0) when the unfolded pair would have computed it (the pool's and the ReLU's input gradient
     * both wanted; freezing clears them).
     */
    static PlanStep poolAfterRelu(PlanParts parts, Node.Pool p, NodeBuffers b, NodeBuffers relu) {
        Pool2dNhwc op = parts.own(new Pool2dNhwc(parts.context, Pool2d.Mode.MAX, p.window(), false, true));
        int batch = parts.batch;
        Shape in = p.in();
        ClBuffer argmax = parts.allocate((long) batch * p.out().size() * Integer.BYTES);
        return new PlanStep() {
            public void forward(boolean training, long step) {
                op.forward(relu.x(), b.y(), argmax, batch, in.height(), in.width(), in.channels());
            }

            public void backward(long step) {
                if (b.dx(0) != null && relu.dx(0) != null) op.backward(b.dy(), argmax, relu.dx(0), batch, in.height(), in.width(), in.channels());
            }
        };
    }

    /** The mean over height and width: an average pool whose window is the whole map. */
    static PlanStep globalAverage(PlanParts parts, Node.GlobalAvgPool g, NodeBuffers b) {
        Shape in = g.in();
        return window(parts, in, Pool2d.Mode.AVERAGE, new PoolWindow(in.height(), in.width(), 1, 1, 0, 0, 0, 0), false, b);
    }

    private static PlanStep window(PlanParts parts, Shape in, Pool2d.Mode mode, PoolWindow window, boolean countPad, NodeBuffers b) {
        Pool2dNhwc op = parts.own(new Pool2dNhwc(parts.context, mode, window, countPad));
        int batch = parts.batch;
        ClBuffer argmax = mode == Pool2d.Mode.MAX
                ? parts.allocate((long) batch * window.outH(in.height()) * window.outW(in.width()) * in.channels() * Integer.BYTES) : null;
        return new PlanStep() {
            public void forward(boolean training, long step) {
                op.forward(b.x(), b.y(), argmax, batch, in.height(), in.width(), in.channels());
            }

            public void backward(long step) {
                if (b.dx(0) != null) op.backward(b.dy(), argmax, b.dx(0), batch, in.height(), in.width(), in.channels());
            }
        };
    }
}
