package dev.clpipe.bench;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.Gemm;
import dev.clpipe.nn.ops.GemmShape;
import dev.clpipe.nn.ops.OpVariant;
import dev.clpipe.nn.ops.TuningCache;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Part of {@code clpipe bench kernels}: the GEMMs of a dense layer's training step (forward X*W^T + b, weight and bias
 * gradients dY^T*X and column sums of dY, input gradient dY*W) at LeNet-5's dense shapes and batch 64, 128, 256, on the
 * two register-blocked paths measured in the same run: "direct" (one unpacked launch per GEMM whatever the size, the bias
 * gradient inside the weight-gradient launch) and "packed" (pack B, pack A, multiply, plus a column-sums launch); the
 * whole layer step also "routed", as {@code Gemm.create} picks per GEMM (what training runs). Then square GEMMs around
 * the size rule ({@code clpipe.gemm.directMaxMacs}) on both paths. Rows carry {@code launches} per call and
 * {@code packed_over_direct_x} (routed rows {@code routed_over_direct_x}). Beside them, the ReLU folded into the forward
 * and input-gradient GEMMs against the GEMM plus the ReLU's own launch ({@code separate_over_fused_x}).
 */
final class DenseGemmBench {
    /** LeNet-5's dense layers, inputs x units. */
    private static final int[][] LENET5_DENSE = {{400, 120}, {120, 84}, {84, 10}};
    private static final int[] BATCHES = {64, 128, 256};
    private static final int[] SQUARE = {96, 128, 160, 192, 256, 320};
    private final ClContext context;
    private final double budget;
    private final Consumer<BenchResult> sink;

    DenseGemmBench(ClContext context, double budget, Consumer<BenchResult> sink) {
        this.context = context;
        this.budget = budget;
        this.sink = sink;
    }

    void runAll() {
        for (int batch : BATCHES) {
            for (int[] layer : LENET5_DENSE) denseStep(batch, layer[0], layer[1]);
        }
        for (int size : SQUARE) {
            for (boolean transB : new boolean[] {false, true}) square(GemmShape.of(size, size, size, false, transB));
        }
    }

    private Gemm direct() {
        return Gemm.direct(context);
    }

    private Gemm packed() {
        return Gemm.registerBlocked(context, TuningCache.standard().choiceFor(context.device()).gemm());
    }

    /** One dense layer's forward and backward GEMMs on each path, then the whole step. */
    private void denseStep(int batch, int in, int units) {
        GemmShape forward = GemmShape.of(batch, units, in, false, true);
        GemmShape weightGrad = GemmShape.of(units, in, batch, true, false);
        GemmShape inputGrad = GemmShape.of(batch, in, units, false, false);
        String layer = "dense " + in + "->" + units + " batch " + batch;
        try (ClBuffer x = context.buffer(Inputs.random(1, (long) batch * in));
                ClBuffer w = context.buffer(Inputs.random(2, (long) units * in));
                ClBuffer bias = context.buffer(Inputs.random(3, units));
                ClBuffer dy = context.buffer(Inputs.random(4, (long) batch * units));
                ClBuffer y = context.buffer((long) batch * units * Float.BYTES);
                ClBuffer dw = context.buffer((long) units * in * Float.BYTES);
                ClBuffer db = context.buffer((long) units * Float.BYTES);
                ClBuffer dx = context.buffer((long) batch * in * Float.BYTES)) {
            compare("gemm " + layer + " forward", forward, gemm -> gemm.run(forward, x, w, y, bias));
            compare("gemm " + layer + " weight+bias gradient", weightGrad, gemm -> gemm.runWithRowSums(weightGrad, dy, x, dw, db));
            compare("gemm " + layer + " input gradient", inputGrad, gemm -> gemm.run(inputGrad, dy, w, dx));
            double flops = forward.flops() + weightGrad.flops() + inputGrad.flops();
            Consumer<Gemm> step = gemm -> {
                gemm.run(forward, x, w, y, bias);
                gemm.runWithRowSums(weightGrad, dy, x, dw, db);
                gemm.run(inputGrad, dy, w, dx);
            };
            reluEpilogues(layer, forward, inputGrad, x, w, bias, y, dy, dx);
            Measured direct = compare("gemm " + layer + " train step", forward, flops, step);
            Measured routed = measure("routed", () -> Gemm.create(context, OpVariant.REGISTER_BLOCKED), step);
            sink.accept(BenchResult.call("gemm " + layer + " train step", forward.toString(), routed.path(), BenchDevice.of(context), routed.ms(),
                    flops / routed.ms() / 1e6).with("launches", routed.launches()).with("routed_over_direct_x", routed.ms() / direct.ms()));
        }
    }

    /**
     * The ReLU folded into the routed GEMMs (what training runs, {@code Gemm.runRelu} / {@code runGated}) beside the GEMM
     * and the ReLU's own launch (relu_fwd / relu_bwd): the forward of a layer a ReLU follows, and the input gradient of a
     * layer that reads a ReLU (gated by x). Rows carry {@code launches} and {@code separate_over_fused_x}.
     */
    private void reluEpilogues(String layer, GemmShape forward, GemmShape inputGrad, ClBuffer x, ClBuffer w, ClBuffer bias, ClBuffer y,
                               ClBuffer dy, ClBuffer dx) {
        int outputs = Math.toIntExact(forward.cFloats()), inputs = Math.toIntExact(inputGrad.cFloats());
        try (Activation relu = new Activation(context, Activation.Kind.RELU)) {
            fusedBesideSeparate("gemm " + layer + " forward + relu", forward, gemm -> gemm.runRelu(forward, x, w, y, bias), gemm -> {
                gemm.run(forward, x, w, y, bias);
                relu.forward(y, y, outputs);
            });
            fusedBesideSeparate("gemm " + layer + " input gradient + relu backward", inputGrad, gemm -> gemm.runGated(inputGrad, dy, w, dx, x), gemm -> {
                gemm.run(inputGrad, dy, w, dx);
                relu.backward(x, null, dx, dx, inputs);
            });
        }
    }

    /** Times the fused and the separate form on the routed path; the separate one's launches add the ReLU's one. */
    private void fusedBesideSeparate(String op, GemmShape shape, Consumer<Gemm> fused, Consumer<Gemm> separate) {
        Measured one = measure("routed fused", () -> Gemm.create(context, OpVariant.REGISTER_BLOCKED), fused);
        Measured two = measure("routed + relu launch", () -> Gemm.create(context, OpVariant.REGISTER_BLOCKED), separate);
        sink.accept(BenchResult.call(op, shape.toString(), one.path(), BenchDevice.of(context), one.ms(), shape.flops() / one.ms() / 1e6)
                .with("launches", one.launches()));
        sink.accept(BenchResult.call(op, shape.toString(), two.path(), BenchDevice.of(context), two.ms(), shape.flops() / two.ms() / 1e6)
                .with("launches", two.launches() + 1).with("separate_over_fused_x", two.ms() / one.ms()));
    }

    private void square(GemmShape shape) {
        try (ClBuffer a = context.buffer(Inputs.random(1, shape.aFloats()));
                ClBuffer b = context.buffer(Inputs.random(2, shape.bFloats()));
                ClBuffer c = context.buffer(shape.cFloats() * Float.BYTES)) {
            compare("gemm size rule " + shape, shape, gemm -> gemm.run(shape, a, b, c));
        }
    }

    private void compare(String op, GemmShape shape, Consumer<Gemm> call) {
        compare(op, shape, shape.flops(), call);
    }

    /** Times {@code call} on the direct and the packed path in turn; the packed row carries the ratio. Returns the direct one. */
    private Measured compare(String op, GemmShape shape, double flops, Consumer<Gemm> call) {
        Measured direct = measure("direct", this::direct, call);
        Measured packed = measure("packed", this::packed, call);
        sink.accept(BenchResult.call(op, shape.toString(), direct.path(), BenchDevice.of(context), direct.ms(), flops / direct.ms() / 1e6)
                .with("launches", direct.launches()));
        sink.accept(BenchResult.call(op, shape.toString(), packed.path(), BenchDevice.of(context), packed.ms(), flops / packed.ms() / 1e6)
                .with("launches", packed.launches()).with("packed_over_direct_x", packed.ms() / direct.ms()));
        return direct;
    }

    private record Measured(String path, double ms, double launches) {}

    private Measured measure(String path, Supplier<Gemm> open, Consumer<Gemm> call) {
        try (Gemm gemm = open.get()) {
            long before = gemm.launches();
            call.accept(gemm);
            long perCall = gemm.launches() - before;
            double ms = Timer.millis(context.queue(), () -> call.accept(gemm), 10, budget);
            return new Measured(path + " " + gemm.describe(), ms, perCall);
        }
    }
}
