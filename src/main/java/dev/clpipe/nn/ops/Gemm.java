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
    /** When {@link #run} takes the one-launch direct kernel (register-blocked variant only). */
    private enum DirectRouting { SMALL_SHAPES, NEVER, ALWAYS }

    private final OpVariant variant;
    private final RegisterBlockedGemm registerBlocked;
    private final DirectGemm direct;
    private final DirectRouting routing;
    private final LocalTiledGemm localTiled;
    private final ScratchBuffer noBias;
    private final ClContext context;
    private ColumnSums columnSums;
    /** The ReLU epilogue's own launches on the local-tiled path (the register-blocked kernels apply it themselves). */
    private Activation relu;
    private long launches;

    private Gemm(ClContext context, OpVariant variant, GemmParams params, DirectRouting routing) {
        this.context = context;
        this.variant = variant;
        this.registerBlocked = variant == OpVariant.REGISTER_BLOCKED ? new RegisterBlockedGemm(context, params) : null;
        this.direct = registerBlocked != null ? new DirectGemm(context, registerBlocked) : null;
        this.routing = routing;
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
        return new Gemm(context, resolved, choice.gemm(), DirectRouting.SMALL_SHAPES);
    }

    /**
     * A register-blocked GEMM with explicit parameters that always packs (tuner, benchmarks): small shapes are not
     * routed to the one-launch direct kernel.
     */
    public static Gemm registerBlocked(ClContext context, GemmParams params) {
        return new Gemm(context, OpVariant.REGISTER_BLOCKED, params, DirectRouting.NEVER);
    }

    /** The register-blocked variant that takes the one-launch direct kernel at every size (benchmarks of the size rule). */
    public static Gemm direct(ClContext context) {
        return new Gemm(context, OpVariant.REGISTER_BLOCKED, TuningCache.standard().choiceFor(context.device()).gemm(), DirectRouting.ALWAYS);
    }

    /** Whether {@link #run} takes one unpacked launch for {@code shape} (register-blocked variant, small shapes). */
    public boolean runsDirect(GemmShape shape) {
        return direct != null && (routing == DirectRouting.ALWAYS || routing == DirectRouting.SMALL_SHAPES && DirectGemm.suits(shape));
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
        run(shape, a, b, c, bias, DirectGemm.Epilogue.NONE, null);
    }

    /**
     * As {@link #run(GemmShape, ClBuffer, ClBuffer, ClBuffer, ClBuffer)}, then C = max(C, 0): a dense layer and the ReLU
     * after it, the floats {@link Activation} RELU's forward would give. The register-blocked kernels apply it themselves; the
     * local-tiled path adds the ReLU's own launch.
     */
    public void runRelu(GemmShape shape, ClBuffer a, ClBuffer b, ClBuffer c, ClBuffer bias) {
        run(shape, a, b, c, bias, DirectGemm.Epilogue.RELU, null);
    }

    /**
     * As {@link #run(GemmShape, ClBuffer, ClBuffer, ClBuffer)}, then C = (gate > 0 ? C : 0) with {@code gate} M x N like C,
     * the floats {@link Activation} RELU's backward would give for gate = the ReLU's input or output: the input gradient
     * dY*W of a dense layer that reads a ReLU, carried on through that ReLU. The register-blocked kernels apply it
     * themselves; the local-tiled path adds the ReLU backward's launch.
     */
    public void runGated(GemmShape shape, ClBuffer a, ClBuffer b, ClBuffer c, ClBuffer gate) {
        checkFits(gate, shape.cFloats(), "gate");
        run(shape, a, b, c, null, DirectGemm.Epilogue.GATE, gate);
    }

    private void run(GemmShape shape, ClBuffer a, ClBuffer b, ClBuffer c, ClBuffer bias, DirectGemm.Epilogue epilogue, ClBuffer gate) {
        checkFits(a, shape.aFloats(), "A");
        checkFits(b, shape.bFloats(), "B");
        checkFits(c, shape.cFloats(), "C");
        if (bias != null) checkFits(bias, shape.n(), "bias");
        ClBuffer biasArg = bias != null ? bias : noBias.atLeast(1);
        if (runsDirect(shape)) {
            direct.run(shape, a, b, c, biasArg, bias != null, biasArg, false, epilogue, gate != null ? gate : biasArg);
            launches++;
            return;
        }
        if (registerBlocked != null) {
            registerBlocked.run(shape, a, b, c, biasArg, bias != null, epilogue, gate != null ? gate : biasArg, biasArg, false);
            launches += RegisterBlockedGemm.LAUNCHES;
            return;
        }
        localTiled.run(shape, a, b, c, biasArg, bias != null);
        launches++;
        if (epilogue == DirectGemm.Epilogue.NONE) return;
        if (relu == null) relu = new Activation(context, Activation.Kind.RELU);
        int count = Math.toIntExact(shape.cFloats());
        if (epilogue == DirectGemm.Epilogue.RELU) relu.forward(c, c, count);
        else relu.backward(gate, null, c, c, count);
        launches++;
    }

    /** Kernels this instance has enqueued so far (benchmarks report launches per step). */
    public long launches() {
        return launches;
    }

    /**
     * As {@code run(shape, a, b, c)} (op(A) = A^T: {@code shape.transA()} is required), and also
     * {@code rowSums[i] = sum_k op(A)(i, k)}, overwritten and not scaled by alpha: with A = dY (batch x units) it is a
     * dense layer's bias gradient beside its weight gradient dY^T X. The register-blocked kernels sum while they read
     * op(A) (the direct kernel, or the packing); the local-tiled path adds a {@link ColumnSums} launch.
     */
    public void runWithRowSums(GemmShape shape, ClBuffer a, ClBuffer b, ClBuffer c, ClBuffer rowSums) {
        if (!shape.transA()) throw new IllegalArgumentException("row sums of op(A) need op(A) = A^T, got " + shape);
        checkFits(a, shape.aFloats(), "A");
        checkFits(b, shape.bFloats(), "B");
        checkFits(c, shape.cFloats(), "C");
        checkFits(rowSums, shape.m(), "row sums");
        if (runsDirect(shape)) {
            direct.run(shape, a, b, c, noBias.atLeast(1), false, rowSums, true, DirectGemm.Epilogue.NONE, rowSums);
            launches++;
            return;
        }
        if (registerBlocked != null) {
            registerBlocked.run(shape, a, b, c, noBias.atLeast(1), false, DirectGemm.Epilogue.NONE, rowSums, rowSums, true);
            launches += RegisterBlockedGemm.LAUNCHES;
            return;
        }
        run(shape, a, b, c, null);
        if (columnSums == null) columnSums = new ColumnSums(context);
        columnSums.run(a, rowSums, shape.k(), shape.m());
        launches++;
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
        if (columnSums != null) columnSums.close();
        if (relu != null) relu.close();
        if (localTiled != null) localTiled.close();
        noBias.close();
    }
}
