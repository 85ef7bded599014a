package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;

/**
 * 2-D convolution of one fixed {@link Conv2dShape} on one device: forward, backward-data,
 * backward-weights and bias gradient on float32 device buffers in NHWC / HWIO layout. Each call
 * enqueues and returns (no wait); results are ready after {@code context.queue().finish()} or a
 * blocking read. Gradients overwrite their outputs. Not thread-safe: one instance per layer.
 *
 * <pre>{@code
 * Conv2dShape shape = Conv2dShape.input(32, 56, 56, 64).output(64).kernel(3).same().build();
 * try (Conv2d conv = Conv2d.create(context, shape)) {     // Auto: tuned or device default
 *     conv.forward(x, w, bias, y);                         // y = conv(x, w) + bias
 *     conv.backwardData(dy, w, dx);                        // dx = dL/dx
 *     conv.backwardWeights(x, dy, dw);                     // dw = dL/dw
 *     conv.backwardBias(dy, db);                           // db = dL/dbias
 *     conv.backwardWeightsAndBias(x, dy, dw, db);          // both, in fewer launches where it can
 * }
 * }</pre>
 */
public final class Conv2d implements AutoCloseable {
    private final Conv2dShape shape;
    private final OpVariant variant;
    private final ConvKernelCache kernels;
    private final ChannelSums sums;
    private final ConvKernels impl;
    private final ScratchBuffer noBias;

    private Conv2d(ClContext context, Conv2dShape shape, OpVariant variant, ConvParams params) {
        this.shape = shape;
        this.variant = variant;
        this.kernels = new ConvKernelCache(context);
        this.sums = new ChannelSums(context, kernels);
        this.noBias = new ScratchBuffer(context);
        this.impl = variant == OpVariant.LOCAL_TILED ? new LocalTiledConv2d(context, shape, kernels)
                : new RegisterBlockedConv2d(context, shape, params, kernels, sums);
    }

    /** The Auto choice for this device: the tuner's cached pick, else the device-type default. */
    public static Conv2d create(ClContext context, Conv2dShape shape) {
        return create(context, shape, OpVariant.AUTO);
    }

    public static Conv2d create(ClContext context, Conv2dShape shape, OpVariant variant) {
        TuningChoice choice = TuningCache.standard().choiceFor(context.device());
        return new Conv2d(context, shape, variant == OpVariant.AUTO ? choice.convVariant() : variant, choice.conv());
    }

    /** A register-blocked convolution with explicit parameters (tuner, benchmarks). */
    public static Conv2d registerBlocked(ClContext context, Conv2dShape shape, ConvParams params) {
        return new Conv2d(context, shape, OpVariant.REGISTER_BLOCKED, params);
    }

    public Conv2dShape shape() {
        return shape;
    }

    public OpVariant variant() {
        return variant;
    }

    /** The variant and parameters, e.g. {@code RegisterBlocked(PX=7,NV=4,RB=6)}. */
    public String describe() {
        return impl.describe();
    }

    /** y = conv(x, w) (+ bias when not null). */
    public void forward(ClBuffer x, ClBuffer w, ClBuffer bias, ClBuffer y) {
        check(x, shape.inputFloats(), "x");
        check(w, shape.weightFloats(), "w");
        check(y, shape.outputFloats(), "y");
        if (bias != null) check(bias, shape.outChannels(), "bias");
        impl.forward(x, w, bias != null ? bias : noBias.atLeast(1), bias != null, y);
    }

    /** dx = dL/dx from dy = dL/dy (overwrites dx). */
    public void backwardData(ClBuffer dy, ClBuffer w, ClBuffer dx) {
        check(dy, shape.outputFloats(), "dy");
        check(w, shape.weightFloats(), "w");
        check(dx, shape.inputFloats(), "dx");
        impl.backwardData(dy, w, dx);
    }

    /** dw = dL/dw from the forward input x and dy (overwrites dw). */
    public void backwardWeights(ClBuffer x, ClBuffer dy, ClBuffer dw) {
        check(x, shape.inputFloats(), "x");
        check(dy, shape.outputFloats(), "dy");
        check(dw, shape.weightFloats(), "dw");
        impl.backwardWeights(x, dy, dw);
    }

    /**
     * {@link #backwardWeights} and {@link #backwardBias} with the same floats; the register-blocked kernels (groups 1,
     * not depthwise) write the bias gradient inside the weight gradient's two launches, two launches fewer.
     */
    public void backwardWeightsAndBias(ClBuffer x, ClBuffer dy, ClBuffer dw, ClBuffer db) {
        if (impl instanceof RegisterBlockedConv2d rb && rb.fusesBias()) {
            check(x, shape.inputFloats(), "x");
            check(dy, shape.outputFloats(), "dy");
            check(dw, shape.weightFloats(), "dw");
            check(db, shape.outChannels(), "db");
            rb.backwardWeights(x, dy, dw, db);
            return;
        }
        backwardWeights(x, dy, dw);
        backwardBias(dy, db);
    }

    /** db = dL/dbias: dy summed over batch and pixels per channel (overwrites db). */
    public void backwardBias(ClBuffer dy, ClBuffer db) {
        check(dy, shape.outputFloats(), "dy");
        check(db, shape.outChannels(), "db");
        sums.biasGradient(shape, dy, db);
    }

    private void check(ClBuffer buffer, long floats, String what) {
        if (buffer.floats() < floats) {
            throw new IllegalArgumentException(what + " holds " + buffer.floats() + " floats; " + shape + " needs " + floats);
        }
    }

    @Override
    public void close() {
        impl.close();
        sums.close();
        kernels.close();
        noBias.close();
    }
}
