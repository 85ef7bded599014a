package dev.clpipe.nn.io;

import java.util.Arrays;

/**
 * One weight tensor read from a model file: its name, its shape (row-major, TensorFlow order,
 * e.g. HWIO {@code [kh, kw, in, out]} for conv filters) and its values as float. int32 tensors
 * are held as float too; {@link TfjsWeights} refuses int32 values a float cannot hold exactly.
 * A rank-0 (scalar) tensor has shape {@code []} and one value. {@link #values()} is the tensor's
 * own array, not a copy (weights run to millions of values): treat it as read-only; the layer
 * records of this package share it too.
 */
public record NamedTensor(String name, int[] shape, float[] values) {
    public NamedTensor {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("tensor name must not be empty");
        if (shape == null || values == null) throw new IllegalArgumentException("tensor '" + name + "': shape and values are required");
        long count = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape " + shapeString(shape));
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + shapeString(shape) + " holds " + count
                    + " values, got " + values.length);
        }
        shape = shape.clone();
    }

    /** The shape (a copy). */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int size() {
        return values.length;
    }

    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    public String shapeString() {
        return shapeString(shape);
    }

    public static String shapeString(int[] shape) {
        return Arrays.toString(shape).replace(" ", "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedTensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "NamedTensor[" + name + " " + shapeString() + "]";
    }
}
