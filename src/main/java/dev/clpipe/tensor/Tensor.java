package dev.clpipe.tensor;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import java.util.Arrays;

/**
 * A dense float32 array living on one OpenCL device: a shape, a {@link Layout} and a device
 * buffer. Data moves to the host only when asked ({@link #toHost()}), so chains of ops stay on
 * the device. Closing releases the buffer; a tensor made by {@link #view} shares the buffer and
 * does not release it.
 */
public final class Tensor implements AutoCloseable {
    private final ClContext context;
    private final int[] shape;
    private final Layout layout;
    private final ClBuffer buffer;
    private final boolean ownsBuffer;
    private boolean closed;

    private Tensor(ClContext context, int[] shape, Layout layout, ClBuffer buffer, boolean ownsBuffer) {
        this.context = context;
        this.shape = shape.clone();
        this.layout = layout;
        this.buffer = buffer;
        this.ownsBuffer = ownsBuffer;
    }

    /** An uninitialised NCHW (row-major) tensor. */
    public static Tensor empty(ClContext context, int... shape) {
        return empty(context, Layout.NCHW, shape);
    }

    public static Tensor empty(ClContext context, Layout layout, int... shape) {
        long count = checkedSize(shape);
        return new Tensor(context, shape, layout, context.buffer(Math.max(1, count) * Float.BYTES), true);
    }

    /** A tensor filled with zeros (asynchronously, in queue order). */
    public static Tensor zeros(ClContext context, int... shape) {
        Tensor t = empty(context, shape);
        t.fill(0f);
        return t;
    }

    /** A row-major (NCHW) tensor holding a copy of {@code data}. */
    public static Tensor fromHost(ClContext context, float[] data, int... shape) {
        return fromHost(context, Layout.NCHW, data, shape);
    }

    public static Tensor fromHost(ClContext context, Layout layout, float[] data, int... shape) {
        long count = checkedSize(shape);
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count + " values but data has " + data.length);
        }
        if (count == 0) return empty(context, layout, shape);
        return new Tensor(context, shape, layout, context.buffer(data), true);
    }

    /** Wraps an existing buffer without taking ownership (the caller keeps closing it). */
    public static Tensor view(ClContext context, ClBuffer buffer, Layout layout, int... shape) {
        long count = checkedSize(shape);
        if (count * Float.BYTES > buffer.bytes()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + count * Float.BYTES + " bytes, buffer has " + buffer.bytes());
        }
        return new Tensor(context, shape, layout, buffer, false);
    }

    /** Same storage, another shape of the same size (e.g. [N, C, 1, 1] as [N, C]). */
    public Tensor reshape(int... newShape) {
        if (checkedSize(newShape) != size()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new Tensor(context, newShape, layout, buffer(), false);
    }

    public ClContext context() {
        return context;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public Layout layout() {
        return layout;
    }

    /** Number of elements. */
    public int size() {
        return (int) checkedSize(shape);
    }

    public ClBuffer buffer() {
        if (closed) throw new IllegalStateException("tensor " + Arrays.toString(shape) + " used after close");
        return buffer;
    }

    /** Blocking copy of the contents to a new host array. */
    public float[] toHost() {
        float[] out = new float[size()];
        if (out.length > 0) buffer().read(context.queue(), out);
        return out;
    }

    /** Blocking copy of {@code data} (exactly {@link #size()} floats) into this tensor. */
    public Tensor write(float[] data) {
        if (data.length != size()) throw new IllegalArgumentException("expected " + size() + " values, got " + data.length);
        if (data.length > 0) buffer().write(context.queue(), data);
        return this;
    }

    /** Sets every element (asynchronous, in queue order). */
    public Tensor fill(float value) {
        if (size() > 0) buffer().fill(context.queue(), value);
        return this;
    }

    /** A new tensor with the same shape, layout and contents (device-side copy). */
    public Tensor copy() {
        Tensor t = empty(context, layout, shape);
        if (size() > 0) t.buffer().copyFrom(context.queue(), buffer());
        return t;
    }

    /** A new uninitialised tensor with the same shape and layout. */
    public Tensor emptyLike() {
        return empty(context, layout, shape);
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /** Throws unless this is a 4-D tensor in the given layout; returns (N, C, H, W). */
    public int[] requireNchw(String op) {
        if (shape.length != 4 || layout != Layout.NCHW) {
            throw new IllegalArgumentException(op + " needs a 4-D NCHW tensor, got " + layout + " " + Arrays.toString(shape));
        }
        return shape.clone();
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + " " + layout;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (ownsBuffer) buffer.close();
    }

    static long checkedSize(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
        return n;
    }
}
