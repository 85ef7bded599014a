package dev.clpipe.nn.ops;

/** Plain-Java twin of {@code dropout.cl}: the identical mask and float scaling, bit for bit. */
public final class DropoutReference {
    private DropoutReference() {}

    /** True where element e is kept for (p, seed, stream). */
    public static boolean[] mask(int n, float p, long seed, long stream) {
        boolean[] keep = new boolean[n];
        for (int j = 0; j * 4 < n; j++) {
            int[] w = Philox.philox4x32(j, (int) stream, (int) (stream >>> 32), 0, (int) seed, (int) (seed >>> 32));
            for (int q = 0; q < 4 && j * 4 + q < n; q++) keep[j * 4 + q] = !(Philox.uniform(w[q]) < p);
        }
        return keep;
    }

    /** The mask of elements [offset, offset + n) of a longer array (a slice of a split batch). */
    public static boolean[] mask(int n, float p, long seed, long stream, int offset) {
        return java.util.Arrays.copyOfRange(mask(offset + n, p, seed, stream), offset, offset + n);
    }

    /** {@link #apply} for a slice starting at element {@code offset} of a longer array. */
    public static float[] apply(float[] in, float p, long seed, long stream, int offset) {
        boolean[] keep = mask(in.length, p, seed, stream, offset);
        float scale = Dropout.scale(p);
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) out[i] = keep[i] ? in[i] * scale : 0f;
        return out;
    }

    /** out = keep ? in * scale : 0, in float like the kernel (forward and backward alike). */
    public static float[] apply(float[] in, float p, long seed, long stream) {
        boolean[] keep = mask(in.length, p, seed, stream);
        float scale = Dropout.scale(p);
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) out[i] = keep[i] ? in[i] * scale : 0f;
        return out;
    }
}
