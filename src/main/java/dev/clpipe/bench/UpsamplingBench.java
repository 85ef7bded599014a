package dev.clpipe.bench;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.ConvTranspose2d;
import dev.clpipe.nn.ops.ConvTransposeWindow;
import dev.clpipe.nn.ops.Upsample;
import java.util.function.Consumer;

/**
 * The upsampling ops of imported decoders (ONNX ConvTranspose and Resize) at one decoder stage:
 * batch 8, 28x28x64 to 56x56x32 for the 4x4 stride-2 transposed convolution (GFLOP/s as 2 * MACs),
 * and 56x56x32 to 112x112x32 for both resize modes (GB/s: input read plus output written).
 */
final class UpsamplingBench {
    private static final int N = 8;

    private final ClContext context;
    private final double budget;
    private final Consumer<BenchResult> sink;

    UpsamplingBench(ClContext context, double budget, Consumer<BenchResult> sink) {
        this.context = context;
        this.budget = budget;
        this.sink = sink;
    }

    void runAll() {
        convTranspose(28, 28, 64, 32);
        for (Upsample.Mode mode : Upsample.Mode.values()) resize(mode, 56, 56, 32);
    }

    private void convTranspose(int h, int w, int in, int out) {
        ConvTransposeWindow window = new ConvTransposeWindow(4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0);
        int oh = window.outH(h), ow = window.outW(w);
        try (ConvTranspose2d op = new ConvTranspose2d(context, window);
                ClBuffer x = context.buffer(Inputs.random(1, N * h * w * in));
                ClBuffer weights = context.buffer(Inputs.random(2, 16 * in * out));
                ClBuffer bias = context.buffer(Inputs.random(3, out));
                ClBuffer y = context.buffer((long) N * oh * ow * out * Float.BYTES)) {
            double ms = Timer.millis(context.queue(), () -> op.forward(x, weights, bias, y, N, h, w, in, out), 3, budget);
            double flops = 2.0 * N * h * w * in * out * 16;
            sink.accept(BenchResult.call("conv-transpose 4x4/2 forward", N + "x" + h + "x" + w + "x" + in + " -> " + oh + "x" + ow + "x" + out,
                    "gather", BenchDevice.of(context), ms, flops / ms / 1e6));
        }
    }

    private void resize(Upsample.Mode mode, int h, int w, int c) {
        int in = N * h * w * c, out = N * 2 * h * 2 * w * c;
        try (Upsample op = new Upsample(context, mode, 2 * h, 2 * w);
                ClBuffer x = context.buffer(Inputs.random(4, in)); ClBuffer y = context.buffer(out * 4L)) {
            double ms = Timer.millis(context.queue(), () -> op.forwardNhwc(x, y, N, h, w, c, 0.5f, 0.5f), 3, budget);
            sink.accept(BenchResult.call("resize " + mode.name().toLowerCase() + " x2 forward", N + "x" + h + "x" + w + "x" + c,
                    "nhwc", BenchDevice.of(context), ms, Double.NaN).with("gb_per_s", (in + out) * (double) Float.BYTES / ms / 1e6));
        }
    }
}
