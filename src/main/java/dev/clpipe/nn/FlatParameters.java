package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import java.util.List;

/**
 * A network's trainable parameters, their gradients and its optimiser's state laid out as slices
 * of one contiguous buffer each (every parameter at an offset aligned for sub-buffers, zeros
 * between), so a data-parallel replica sums every gradient in one launch and updates every
 * parameter in one ({@link Optimizer#stepFlat}) instead of one launch per tensor each. The layers
 * keep reading their own parameter's buffers, which are now slices. Close after the network.
 */
public final class FlatParameters implements AutoCloseable {
    private final ClBuffer values;
    private final ClBuffer gradients;
    private final long floats;

    /** Moves {@code trainable} (and {@code optimizer}'s state of them) into flat buffers on {@code context}. */
    public FlatParameters(ClContext context, List<Param> trainable, Optimizer optimizer) {
        long align = Math.max(1, context.baseAlignBytes() / Float.BYTES);
        long[] offsets = new long[trainable.size()];
        long at = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = at;
            at = roundUp(at + trainable.get(i).size(), align);
        }
        this.floats = Math.max(at, 1);
        this.values = context.buffer(floats * Float.BYTES);
        this.gradients = context.buffer(floats * Float.BYTES);
        try {
            values.fill(context.queue(), 0f);
            gradients.fill(context.queue(), 0f);
            for (int i = 0; i < offsets.length; i++) {
                Param p = trainable.get(i);
                long bytes = (long) p.size() * Float.BYTES;
                p.relocate(context.queue(), values.slice(offsets[i] * Float.BYTES, bytes), gradients.slice(offsets[i] * Float.BYTES, bytes));
            }
            optimizer.flatten(context, offsets, floats);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    static long roundUp(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    /** Every trainable parameter's values, at its offset. */
    public ClBuffer values() {
        return values;
    }

    /** Every trainable parameter's gradient, at its offset (what backward writes). */
    public ClBuffer gradients() {
        return gradients;
    }

    /** Floats in each flat buffer, padding included. */
    public long floats() {
        return floats;
    }

    /** Enqueues a device copy of {@code other}'s parameter values (the same layout) into these. */
    public void copyFrom(dev.clpipe.cl.ClQueue queue, FlatParameters other) {
        if (other.floats != floats) throw new IllegalArgumentException("flat layouts differ: " + other.floats + " and " + floats + " floats");
        values.copyFrom(queue, other.values);
    }

    @Override
    public void close() {
        values.close();
        gradients.close();
    }
}
