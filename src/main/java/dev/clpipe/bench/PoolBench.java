package dev.clpipe.bench;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.Pool2d;
import dev.clpipe.nn.ops.Pool2dNhwc;
import dev.clpipe.nn.ops.PoolWindow;
import java.util.function.Consumer;

/**
 * LeNet-5's two max pools (2x2/2 behind a ReLU; batch 128 at 28x28x6 and 10x10x16) as a training
 * step runs them, forward and backward: the ReLU kernels and the pool (four launches; the form before
 * the ReLU was folded in, the anchor) and the pool with the ReLU folded in (two launches; what a
 * training plan runs now) on each of the {@link Pool2dNhwc.TiledKernels}, with the ratios of the
 * anchor and of the channel-grid kernels to the per-pixel ones (what runs). GB/s counts the folded
 * form's bytes (x read, y + argmax written; dy + argmax read, dx written) for every row, so they compare as times.
 * {@code -Dclpipe.bench.only=pool} runs only these.
 */
final class PoolBench {
    static final int N = 128;

    private final ClContext context;
    private final double budget;
    private final Consumer<BenchResult> sink;

    PoolBench(ClContext context, double budget, Consumer<BenchResult> sink) {
        this.context = context;
        this.budget = budget;
        this.sink = sink;
    }

    void runAll() {
        for (int[] map : new int[][] {{28, 6}, {10, 16}}) {
            double anchor = run(map[0], map[1], false, Pool2dNhwc.TiledKernels.PIXEL, "relu kernels + maxpool_nhwc_*_px (anchor)");
            double channelGrid = run(map[0], map[1], true, Pool2dNhwc.TiledKernels.CHANNEL_GRID, "maxpool_nhwc_*_tiled with the relu folded in");
            double pixel = run(map[0], map[1], true, Pool2dNhwc.TiledKernels.PIXEL, "maxpool_nhwc_*_px with the relu folded in (what runs)");
            sink.accept(BenchResult.ratio("relu + maxpool 2x2/2: anchor time / folded time", shape(map[0], map[1]), BenchDevice.of(context), anchor / pixel));
            sink.accept(BenchResult.ratio("maxpool 2x2/2 folded: maxpool_nhwc_*_tiled time / maxpool_nhwc_*_px time", shape(map[0], map[1]),
                    BenchDevice.of(context), channelGrid / pixel));
        }
    }

    private static String shape(int side, int c) {
        return N + "x" + side + "x" + side + "x" + c;
    }

    /** Milliseconds per forward+backward. */
    private double run(int side, int c, boolean folded, Pool2dNhwc.TiledKernels kernels, String variant) {
        PoolWindow window = PoolWindow.of(2, 2, 0);
        int in = N * side * side * c, out = N * window.outH(side) * window.outW(side) * c;
        try (Pool2dNhwc pool = new Pool2dNhwc(context, Pool2d.Mode.MAX, window, false, folded, kernels);
                Activation relu = new Activation(context, Activation.Kind.RELU);
                ClBuffer x = context.buffer(Inputs.random(2, in)); ClBuffer r = context.buffer(in * 4L);
                ClBuffer y = context.buffer(out * 4L); ClBuffer argmax = context.buffer(out * 4L);
                ClBuffer dr = context.buffer(in * 4L); ClBuffer dx = context.buffer(in * 4L)) {
            double ms = Timer.millis(context.queue(), () -> {
                if (folded) {
                    pool.forward(x, y, argmax, N, side, side, c);
                    pool.backward(y, argmax, dx, N, side, side, c);
                } else {
                    relu.forward(x, r, in);
                    pool.forward(r, y, argmax, N, side, side, c);
                    pool.backward(y, argmax, dr, N, side, side, c);
                    relu.backward(x, r, dr, dx, in);
                }
            }, 3, budget);
            double bytes = (2.0 * in + 4.0 * out) * Float.BYTES;
            sink.accept(BenchResult.call("relu + maxpool 2x2/2 forward+backward", shape(side, c), variant,
                    BenchDevice.of(context), ms, Double.NaN).with("gb_per_s", bytes / ms / 1e6));
            return ms;
        }
    }
}
