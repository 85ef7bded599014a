package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Picks GEMM and convolution parameters for one device (CLBlast style): every candidate of a
 * declared parameter space is first checked against the Java twin on a small ragged shape (a
 * candidate that fails is dropped, never timed), then timed on a representative shape; the
 * fastest of each op is returned for {@link TuningCache#store}.
 */
public final class KernelTuner {
    /** The register-blocked GEMM space: rows x float16 vectors, within 32 vector registers. */
    static final List<GemmParams> GEMM_SPACE = List.of(new GemmParams(8, 2), new GemmParams(12, 2), new GemmParams(6, 4),
            new GemmParams(4, 4), new GemmParams(14, 2));
    /** The register-blocked conv space: pixels x vectors (forward), input-channel rows (backward-weights). */
    static final List<ConvParams> CONV_SPACE = List.of(new ConvParams(6, 4, 5), new ConvParams(5, 4, 6), new ConvParams(6, 4, 4),
            new ConvParams(4, 4, 6), new ConvParams(6, 2, 6));
    private static final GemmShape GEMM_CHECK = GemmShape.of(37, 83, 29, false, true);
    private static final Conv2dShape CONV_CHECK = Conv2dShape.input(2, 7, 9, 70).output(70).kernel(3).padding(1, 0, 2, 1).build();

    /** One timed candidate, reported as it is measured. */
    public record Trial(String op, String shape, String candidate, double ms, double gflops) {}

    /** Measures {@code work} in milliseconds per call (the caller's timer: warm-up, back-to-back launches). */
    public interface Stopwatch {
        double millis(Runnable work);
    }

    private final ClContext context;
    private final Stopwatch stopwatch;
    private final Consumer<Trial> log;

    public KernelTuner(ClContext context, Stopwatch stopwatch, Consumer<Trial> log) {
        this.context = context;
        this.stopwatch = stopwatch;
        this.log = log;
    }

    /** Tunes both ops on {@code gemmSize}^3 and a 3x3 64->64 conv at 56x56 with {@code convBatch} images. */
    public TuningChoice tune(int gemmSize, int convBatch) {
        GemmShape gemmShape = GemmShape.of(gemmSize, gemmSize, gemmSize, false, false);
        GemmParams bestGemm = null;
        double bestGemmMs = Double.MAX_VALUE;
        for (GemmParams p : GEMM_SPACE) {
            if (!gemmCorrect(() -> Gemm.registerBlocked(context, p))) continue;
            double ms = timeGemm(() -> Gemm.registerBlocked(context, p), gemmShape, "RegisterBlocked(" + p + ")");
            if (ms < bestGemmMs) {
                bestGemmMs = ms;
                bestGemm = p;
            }
        }
        double tiledMs = gemmCorrect(() -> Gemm.create(context, OpVariant.LOCAL_TILED))
                ? timeGemm(() -> Gemm.create(context, OpVariant.LOCAL_TILED), gemmShape, "LocalTiled") : Double.MAX_VALUE;

        Conv2dShape convShape = Conv2dShape.input(convBatch, 56, 56, 64).output(64).kernel(3).same().build();
        ConvParams bestConv = null;
        double bestConvMs = Double.MAX_VALUE;
        for (ConvParams p : CONV_SPACE) {
            if (!convCorrect(p)) continue;
            double ms = timeConv(p, convShape);
            if (ms < bestConvMs) {
                bestConvMs = ms;
                bestConv = p;
            }
        }
        if (bestGemm == null || bestConv == null) {
            throw new IllegalStateException("no register-blocked candidate passed its correctness check on " + context.device().describe());
        }
        OpVariant family = tiledMs < bestGemmMs ? OpVariant.LOCAL_TILED : OpVariant.REGISTER_BLOCKED;
        return new TuningChoice(family, bestGemm, family, bestConv);
    }

    private boolean gemmCorrect(Supplier<Gemm> make) {
        float[] a = random(1, GEMM_CHECK.aFloats()), b = random(2, GEMM_CHECK.bFloats());
        float[] want = GemmReference.run(GEMM_CHECK, a, b, null, null);
        try (Gemm gemm = make.get(); ClBuffer da = context.buffer(a); ClBuffer db = context.buffer(b);
                ClBuffer dc = context.buffer(GEMM_CHECK.cFloats() * Float.BYTES)) {
            gemm.run(GEMM_CHECK, da, db, dc);
            return close(dc.readFloats(context.queue()), want);
        }
    }

    private double timeGemm(Supplier<Gemm> make, GemmShape s, String label) {
        try (Gemm gemm = make.get(); ClBuffer a = context.buffer(random(1, s.aFloats())); ClBuffer b = context.buffer(random(2, s.bFloats()));
                ClBuffer c = context.buffer(s.cFloats() * Float.BYTES)) {
            double ms = stopwatch.millis(() -> gemm.run(s, a, b, c));
            log.accept(new Trial("tune gemm", s.toString(), label, ms, s.flops() / ms / 1e6));
            return ms;
        }
    }

    private boolean convCorrect(ConvParams p) {
        Conv2dShape s = CONV_CHECK;
        float[] x = random(3, s.inputFloats()), w = random(4, s.weightFloats()), dy = random(5, s.outputFloats());
        try (Conv2d conv = Conv2d.registerBlocked(context, s, p); ClBuffer dx = context.buffer(x); ClBuffer dw = context.buffer(w);
                ClBuffer ddy = context.buffer(dy); ClBuffer y = context.buffer(s.outputFloats() * 4); ClBuffer gx = context.buffer(s.inputFloats() * 4);
                ClBuffer gw = context.buffer(s.weightFloats() * 4)) {
            conv.forward(dx, dw, null, y);
            conv.backwardData(ddy, dw, gx);
            conv.backwardWeights(dx, ddy, gw);
            return close(y.readFloats(context.queue()), Conv2dReference.forward(s, x, w, null))
                    && close(gx.readFloats(context.queue()), Conv2dReference.backwardData(s, dy, w))
                    && close(gw.readFloats(context.queue()), Conv2dReference.backwardWeights(s, x, dy));
        }
    }

    /** Sum of the forward, backward-data and backward-weights times. */
    private double timeConv(ConvParams p, Conv2dShape s) {
        try (Conv2d conv = Conv2d.registerBlocked(context, s, p); ClBuffer x = context.buffer(random(3, s.inputFloats()));
                ClBuffer w = context.buffer(random(4, s.weightFloats())); ClBuffer y = context.buffer(s.outputFloats() * 4);
                ClBuffer dx = context.buffer(s.inputFloats() * 4); ClBuffer dw = context.buffer(s.weightFloats() * 4)) {
            double total = 0;
            String[] passes = {"forward", "backward-data", "backward-weights"};
            Runnable[] work = {() -> conv.forward(x, w, null, y), () -> conv.backwardData(y, w, dx), () -> conv.backwardWeights(x, y, dw)};
            for (int i = 0; i < passes.length; i++) {
                double ms = stopwatch.millis(work[i]);
                log.accept(new Trial("tune conv " + passes[i], s.toString(), conv.describe(), ms, s.flops() / ms / 1e6));
                total += ms;
            }
            return total;
        }
    }

    /** Float kernels vs double twin: 1% relative + 5e-3 absolute (long sums reorder). */
    private static boolean close(float[] got, float[] want) {
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= 5e-3 + 1e-2 * Math.abs(want[i]))) return false;
        }
        return true;
    }

    private static float[] random(long seed, long length) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[Math.toIntExact(length)];
        for (int i = 0; i < values.length; i++) values[i] = (float) (random.nextDouble() * 2 - 1);
        return values;
    }
}
