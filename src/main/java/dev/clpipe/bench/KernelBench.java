package dev.clpipe.bench;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Gemm;
import dev.clpipe.nn.ops.GemmShape;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * {@code clpipe bench kernels}: GFLOP/s of the GEMM and convolution kernels on the shapes that
 * matter (square GEMM, a ResNet-style 3x3 conv with its backward passes, LeNet-5's convolutions,
 * depthwise and 1x1 convs of a MobileNet-style block), a dense layer's GEMMs at LeNet-5's shapes on the direct and the
 * packed path ({@link DenseGemmBench}; {@code -Dclpipe.bench.only=dense} runs only them), memory-bound element-wise passes
 * and LeNet-5's ReLU + max-pool forms ({@link PoolBench}; {@code -Dclpipe.bench.only=pool} runs only them). Inputs are random; no result is checked
 * here (tests do that).
 */
public final class KernelBench implements BenchSuite {
    @Override
    public String name() {
        return "kernels";
    }

    @Override
    public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        if (log != null) log.println("# " + context.device().describe() + (quick ? " (quick)" : ""));
        double budget = quick ? 50 : 1500;
        String only = System.getProperty("clpipe.bench.only", "");
        if (only.equals("dense")) {
            new DenseGemmBench(context, Math.min(budget, 300), sink).runAll();
            return;
        }
        if (only.equals("pool")) {
            new PoolBench(context, budget, sink).runAll();
            return;
        }
        if ("elementwise".contains(only)) {
            new ElementwiseBench(context, budget, sink).runAll();
            new PoolBench(context, budget, sink).runAll();
        }
        if ("upsampling".contains(only)) new UpsamplingBench(context, budget, sink).runAll();
        if (!System.getProperty("clpipe.bench.only", "gemm").contains("gemm")) {
            new ConvBench(context, budget, sink).runAll();
            return;
        }
        for (int size : new int[] {1024, 2048}) gemm(context, GemmShape.of(size, size, size, false, false), budget, sink);
        new DenseGemmBench(context, Math.min(budget, 300), sink).runAll();
        new ConvBench(context, budget, sink).runAll();
    }

    static void gemm(ClContext context, GemmShape shape, double budget, Consumer<BenchResult> sink) {
        try (Gemm gemm = Gemm.create(context);
                ClBuffer a = context.buffer(Inputs.random(1, shape.aFloats()));
                ClBuffer b = context.buffer(Inputs.random(2, shape.bFloats()));
                ClBuffer c = context.buffer(shape.cFloats() * Float.BYTES)) {
            double ms = Timer.millis(context.queue(), () -> gemm.run(shape, a, b, c), 3, budget);
            sink.accept(BenchResult.call("gemm", shape.toString(), gemm.describe(), BenchDevice.of(context), ms, shape.flops() / ms / 1e6));
        }
    }
}
