package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import java.util.Arrays;

/**
 * One named parameter tensor on the device: its values and, when trainable, its gradient buffer
 * (overwritten by every backward). Non-trainable state (batch-norm running statistics) has no
 * gradient but is saved in checkpoints all the same.
 */
public final class Param implements AutoCloseable {
    /** How {@link Init} fills the values. */
    public enum Fill { HE_UNIFORM, ZEROS, ONES }

    private final String name;
    private final int[] shape;
    private final int fanIn;
    private final Fill fill;
    private ClBuffer value;
    private ClBuffer grad;

    public Param(ClContext context, String name, int[] shape, int fanIn, Fill fill, boolean trainable) {
        this.name = name;
        this.shape = shape.clone();
        this.fanIn = fanIn;
        this.fill = fill;
        this.value = context.buffer((long) size() * Float.BYTES);
        this.grad = trainable ? context.buffer((long) size() * Float.BYTES) : null;
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    public int fanIn() {
        return fanIn;
    }

    public Fill fill() {
        return fill;
    }

    public boolean trainable() {
        return grad != null;
    }

    public ClBuffer value() {
        return value;
    }

    /** The gradient buffer; throws for non-trainable state. */
    public ClBuffer grad() {
        if (grad == null) throw new IllegalStateException(name + " is not trainable");
        return grad;
    }

    /**
     * Moves this trainable parameter into caller-owned buffers (slices of one flat layout, so a
     * data-parallel replica sums and updates every parameter in one launch each): enqueues a copy
     * of the values, then releases the old buffers. The gradient is not carried over (every
     * backward overwrites it). Ops read {@link #value()} and {@link #grad()} at each launch.
     */
    public void relocate(dev.clpipe.cl.ClQueue queue, ClBuffer newValue, ClBuffer newGrad) {
        if (grad == null) throw new IllegalStateException(name + " is not trainable");
        if (newValue.bytes() != value.bytes() || newGrad.bytes() != grad.bytes()) throw new IllegalArgumentException(name + ": relocated buffers differ in size");
        newValue.copyFrom(queue, value);
        queue.finish(); // the copy has read the old values
        value.close();
        grad.close();
        value = newValue;
        grad = newGrad;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }

    @Override
    public void close() {
        value.close();
        if (grad != null) grad.close();
    }
}
