package dev.clpipe.face.search;

import java.util.Arrays;

/**
 * A growable n x d matrix of float embeddings, stored row-major in one array, with each row's
 * squared norm cached (the |a|^2 term of d(a,b)^2 = |a|^2 + |b|^2 - 2 a.b).
 *
 * <p>Rows are appended, never changed, so a {@link DistanceKernel} may read {@link #data()}
 * directly. face-api.js descriptors are 128-D and not L2-normalised; nothing here normalises.
 */
public final class Embeddings {
    private final int dim;
    private float[] data;
    private float[] sqNorms;
    private int size;

    public Embeddings(int dim) {
        this(dim, 16);
    }

    public Embeddings(int dim, int capacity) {
        if (dim <= 0) throw new IllegalArgumentException("embedding dimension must be > 0, got " + dim);
        this.dim = dim;
        this.data = new float[Math.max(1, capacity) * dim];
        this.sqNorms = new float[Math.max(1, capacity)];
    }

    /** Copies the rows; all must have the same length. */
    public static Embeddings of(float[]... rows) {
        if (rows.length == 0) throw new IllegalArgumentException("no embeddings given; use new Embeddings(dim) for an empty set");
        Embeddings e = new Embeddings(rows[0].length, rows.length);
        for (float[] r : rows) e.add(r);
        return e;
    }

    /** Copies a row-major array of {@code rowMajor.length / dim} rows. */
    public static Embeddings ofRowMajor(float[] rowMajor, int dim) {
        if (dim <= 0 || rowMajor.length % dim != 0) {
            throw new IllegalArgumentException("row-major length " + rowMajor.length + " is not a multiple of dim " + dim);
        }
        int n = rowMajor.length / dim;
        Embeddings e = new Embeddings(dim, n);
        System.arraycopy(rowMajor, 0, e.data, 0, rowMajor.length);
        e.size = n;
        for (int i = 0; i < n; i++) e.sqNorms[i] = dot(e.data, i * dim, e.data, i * dim, dim);
        return e;
    }

    /** Appends a copy of {@code v}; returns its row index. */
    public int add(float[] v) {
        if (v.length != dim) throw new IllegalArgumentException("embedding has " + v.length + " values, expected " + dim);
        for (float x : v) {
            if (!Float.isFinite(x)) throw new IllegalArgumentException("embedding contains a non-finite value: " + x);
        }
        if (size == sqNorms.length) {
            int cap = Math.max(16, sqNorms.length * 2);
            data = Arrays.copyOf(data, cap * dim);
            sqNorms = Arrays.copyOf(sqNorms, cap);
        }
        System.arraycopy(v, 0, data, size * dim, dim);
        sqNorms[size] = dot(v, 0, v, 0, dim);
        return size++;
    }

    public int size() {
        return size;
    }

    public int dim() {
        return dim;
    }

    /** The backing row-major array (row i starts at i * dim); read-only by contract, may be longer than size * dim. */
    public float[] data() {
        return data;
    }

    /** Squared L2 norm of row i. */
    public float sqNorm(int i) {
        return sqNorms[i];
    }

    public float[] row(int i) {
        check(i);
        return Arrays.copyOfRange(data, i * dim, (i + 1) * dim);
    }

    /** Exact Euclidean distance between rows i and j (direct sum of squared differences, in double). */
    public double distance(int i, int j) {
        check(i);
        check(j);
        return Math.sqrt(sqDiff(data, i * dim, data, j * dim, dim));
    }

    /** Exact Euclidean distance between row i and a vector. */
    public double distanceTo(int i, float[] v) {
        check(i);
        if (v.length != dim) throw new IllegalArgumentException("vector has " + v.length + " values, expected " + dim);
        return Math.sqrt(sqDiff(data, i * dim, v, 0, dim));
    }

    /** Rows [from, to) as a new matrix. */
    public Embeddings slice(int from, int to) {
        if (from < 0 || to > size || from > to) throw new IndexOutOfBoundsException("slice " + from + ".." + to + " of " + size);
        return ofRowMajor(Arrays.copyOfRange(data, from * dim, to * dim), dim);
    }

    static double sqDiff(float[] a, int ao, float[] b, int bo, int n) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            double t = (double) a[ao + k] - b[bo + k];
            s += t * t;
        }
        return s;
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        double s = 0;
        for (int k = 0; k < n; k++) s += (double) a[ao + k] * b[bo + k];
        return (float) s;
    }

    private void check(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("row " + i + " of " + size);
    }
}
