package dev.clpipe.bench;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Conv2d;
import dev.clpipe.nn.ops.Conv2dShape;
import dev.clpipe.nn.ops.Gemm;
import dev.clpipe.nn.ops.GemmShape;
import java.util.List;
import java.util.function.Consumer;

/**
 * Convolution cases of the kernels suite: each shape's forward, backward-data and
 * backward-weights passes (bias gradient excluded), GFLOP/s counted as 2 * MACs of the forward; then
 * the weight and bias gradients as two calls beside one {@code backwardWeightsAndBias} call (the bias
 * inside the weight gradient's launches where the kernels allow it; {@code separate_over_fused_x}).
 * {@code -Dclpipe.bench.only=TEXT} keeps the cases whose name contains TEXT (kernel development).
 */
final class ConvBench {
    /** A named benchmark shape. */
    record Case(String name, Conv2dShape shape) {}

    static final List<Case> CASES = List.of(
            new Case("conv3x3", Conv2dShape.input(32, 56, 56, 64).output(64).kernel(3).same().build()),
            new Case("conv3x3-s2", Conv2dShape.input(32, 56, 56, 64).output(128).kernel(3).stride(2).same().build()),
            new Case("lenet-conv1", Conv2dShape.input(256, 32, 32, 1).output(6).kernel(5).valid().build()),
            new Case("lenet-conv2", Conv2dShape.input(256, 14, 14, 6).output(16).kernel(5).valid().build()),
            new Case("depthwise3x3", Conv2dShape.input(8, 112, 112, 32).output(32).kernel(3).groups(32).same().build()),
            new Case("conv1x1", Conv2dShape.input(8, 112, 112, 32).output(64).kernel(1).build()));

    private final ClContext context;
    private final double budget;
    private final Consumer<BenchResult> sink;

    ConvBench(ClContext context, double budget, Consumer<BenchResult> sink) {
        this.context = context;
        this.budget = budget;
        this.sink = sink;
    }

    void runAll() {
        String only = System.getProperty("clpipe.bench.only", "");
        for (Case c : CASES) {
            if (c.name().contains(only)) run(c);
        }
        if ("layout".contains(only) || only.isEmpty()) nchwLowerBound(CASES.get(0));
    }

    private void run(Case c) {
        Conv2dShape s = c.shape();
        try (Conv2d conv = Conv2d.create(context, s);
                ClBuffer x = context.buffer(Inputs.random(1, s.inputFloats()));
                ClBuffer w = context.buffer(Inputs.random(2, s.weightFloats()));
                ClBuffer b = context.buffer(Inputs.random(3, s.outChannels()));
                ClBuffer y = context.buffer(s.outputFloats() * Float.BYTES);
                ClBuffer dx = context.buffer(s.inputFloats() * Float.BYTES);
                ClBuffer dw = context.buffer(s.weightFloats() * Float.BYTES);
                ClBuffer db = context.buffer((long) s.outChannels() * Float.BYTES)) {
            report(c, "forward", conv, () -> conv.forward(x, w, b, y));
            report(c, "backward-data", conv, () -> conv.backwardData(y, w, dx));
            report(c, "backward-weights", conv, () -> conv.backwardWeights(x, y, dw));
            double separate = timed(() -> {
                conv.backwardWeights(x, y, dw);
                conv.backwardBias(y, db);
            });
            sink.accept(row(c, "backward-weights + bias, two calls", conv, separate));
            double together = timed(() -> conv.backwardWeightsAndBias(x, y, dw, db));
            sink.accept(row(c, "backward-weights + bias, one call", conv, together).with("separate_over_fused_x", separate / together));
        }
    }

    /**
     * The layout check: an NCHW forward done the classic way (per image, W[Cout][K] x im2col[K][H*W]
     * with the register-blocked GEMM), timing only the GEMMs, so a lower bound for NCHW to compare
     * with the direct NHWC kernel (docs/kernels.md).
     */
    private void nchwLowerBound(Case c) {
        Conv2dShape s = c.shape();
        int pixels = s.outHeight() * s.outWidth(), k = s.kernelHeight() * s.kernelWidth() * s.inChannels();
        GemmShape g = GemmShape.of(s.outChannels(), pixels, k, false, false);
        try (Gemm gemm = Gemm.create(context); ClBuffer w = context.buffer(Inputs.random(2, g.aFloats()));
                ClBuffer col = context.buffer(Inputs.random(1, g.bFloats())); ClBuffer y = context.buffer(g.cFloats() * Float.BYTES)) {
            double ms = Timer.millis(context.queue(), () -> {
                for (int image = 0; image < s.batch(); image++) gemm.run(g, w, col, y);
            }, 3, budget);
            sink.accept(BenchResult.call("layout-check " + c.name() + " forward NCHW im2col+GEMM (GEMMs only)", s.toString(),
                    gemm.describe(), BenchDevice.of(context), ms, s.flops() / ms / 1e6));
        }
    }

    private void report(Case c, String pass, Conv2d conv, Runnable work) {
        sink.accept(row(c, pass, conv, timed(work)));
    }

    private double timed(Runnable work) {
        return Timer.millis(context.queue(), work, 3, budget);
    }

    private BenchResult row(Case c, String pass, Conv2d conv, double ms) {
        return BenchResult.call(c.name() + " " + pass, c.shape().toString(), conv.describe(), BenchDevice.of(context), ms, c.shape().flops() / ms / 1e6);
    }
}
