package dev.clpipe.tensor;

import java.util.Arrays;

/** An array read from a {@code .npy} file: C-order shape and its values as float32. */
public record NpyArray(int[] shape, float[] data) {
    public NpyArray {
        if (Tensor.checkedSize(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not match " + data.length + " values");
        }
        shape = shape.clone();
    }

    /** Copies the array to a new NCHW/row-major tensor on {@code context}. */
    public Tensor toTensor(dev.clpipe.cl.ClContext context) {
        return Tensor.fromHost(context, data, shape);
    }

    /** Values rounded to int (for label files). */
    public int[] toInts() {
        int[] out = new int[data.length];
        for (int i = 0; i < out.length; i++) out[i] = Math.round(data[i]);
        return out;
    }
}
