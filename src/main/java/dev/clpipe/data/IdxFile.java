package dev.clpipe.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The content of one unsigned-byte IDX file (the MNIST format): {@code dims[0]} items, each of
 * shape {@code dims[1..]}, data row-major.
 */
public record IdxFile(Path file, int[] dims, byte[] data) {
    public IdxFile {
        dims = dims.clone();
    }

    /** Number of items (first dimension). */
    public int count() {
        return dims[0];
    }

    /** Bytes per item (product of the other dimensions; 1 for a label file). */
    public int itemSize() {
        int s = 1;
        for (int i = 1; i < dims.length; i++) {
            s *= dims[i];
        }
        return s;
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** Label of item i (0..255) of a 1-D file. */
    public int label(int i) {
        if (dims.length != 1) {
            throw new IllegalStateException(file + " is not a label file (dims " + Arrays.toString(dims) + ")");
        }
        return data[i] & 0xFF;
    }

    /** Item i of a 3-D file as a grey image (rows = dims[1], cols = dims[2]). */
    public ImageData image(int i) {
        if (dims.length != 3) {
            throw new IllegalStateException(file + " is not an image file (dims " + Arrays.toString(dims) + ")");
        }
        int n = itemSize();
        return new ImageData(dims[2], dims[1], 1, Arrays.copyOfRange(data, i * n, (i + 1) * n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxFile f && f.file.equals(file) && Arrays.equals(f.dims, dims)
                && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return file.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "IdxFile[" + file + " " + Arrays.toString(dims) + "]";
    }
}
