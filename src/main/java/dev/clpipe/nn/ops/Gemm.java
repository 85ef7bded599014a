package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;

/**
 * Dense matrix multiply on one device: C = alpha * op(A) * op(B) + beta * C (+ bias per column),
 * row-major float32 buffers. Enqueues only (no wait): call {@code context.queue().finish()} or read
 * a buffer to synchronise. Not thread-safe; one instance per layer or per thread.
 *
 * <pre>{@code
 * try (Gemm gemm = Gemm.create(context)) {                       // Auto: tuned or device default
 *     gemm.run(GemmShape.of(batch, out, in, false, true), x, w, y, bias);   // dense forward X*W^T + b
 * }
 * }</pre>
 */
public final class Gemm implements AutoCloseable {
    private final OpVariant variant;
    private final RegisterBlockedGemm registerBlocked;
    private final LocalTiledGemm localTiled;
    private final ScratchBuffer noBias;

    private Gemm(ClContext context, OpVariant variant, GemmParams params) {
        this.variant = variant;
        this.registerBlocked = variant == OpVariant.REGISTER_BLOCKED ? new RegisterBlockedGemm(context, params) : null;
        this.localTiled = variant == OpVariant.LOCAL_TILED ? new LocalTiledGemm(context) : null;
        this.noBias = new ScratchBuffer(context);
    }

    /** The Auto choice for this device: the tuner's cached pick, else the device-type default. */
    public static Gemm create(ClContext context) {
        return create(context, OpVariant.AUTO);
    }

    public static Gemm create(ClContext context, OpVariant variant) {
        TuningChoice choice = TuningCache.standard().choiceFor(context.device());
        OpVariant resolved = variant == OpVariant.AUTO ? choice.gemmVariant() : variant;
        return new Gemm(context, resolved, choice.gemm());
    }

    /** A register-blocked GEMM with explicit parameters (tuner, benchmarks). */
    public static Gemm registerBlocked(ClContext context, GemmParams params) {
        return new Gemm(context, OpVariant.REGISTER_BLOCKED, params);
    }

    public OpVariant variant() {
        return variant;
    }

    /** Describes the variant and its parameters, e.g. {@code RegisterBlocked(RM=8,NV=2)}. */
    public String describe() {
        return variant == OpVariant.REGISTER_BLOCKED ? variant.label() + "(" + registerBlocked.params() + ")" : variant.label();
    }

    /** C = alpha * op(A) * op(B) + beta * C, plus {@code bias[col]} when bias is not null. */
    public void run(GemmShape shape, ClBuffer a, ClBuffer b, ClBuffer c, ClBuffer bias) {
        checkFits(a, shape.aFloats(), "A");
        checkFits(b, shape.bFloats(), "B");
        checkFits(c, shape.cFloats(), "C");
        if (bias != null) checkFits(bias, shape.n(), "bias");
        ClBuffer biasArg = bias != null ? bias : noBias.atLeast(1);
        if (registerBlocked != null) registerBlocked.run(shape, a, b, c, biasArg, bias != null);
        else localTiled.run(shape, a, b, c, biasArg, bias != null);
    }

    public void run(GemmShape shape, ClBuffer a, ClBuffer b, ClBuffer c) {
        run(shape, a, b, c, null);
    }

    static void checkFits(ClBuffer buffer, long floats, String what) {
        if (buffer.floats() < floats) {
            throw new IllegalArgumentException(what + " holds " + buffer.floats() + " floats; the shape needs " + floats);
        }
    }

    @Override
    public void close() {
        if (registerBlocked != null) registerBlocked.close();
        if (localTiled != null) localTiled.close();
        noBias.close();
    }
}
