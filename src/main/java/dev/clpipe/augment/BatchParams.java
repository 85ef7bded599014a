package dev.clpipe.augment;

/**
 * Everything the device needs to augment one batch: {@link ParamLayout#SIZE} floats per image,
 * the elastic noise key per image, and two batch-wide facts that pick kernels (every image is a
 * whole-pixel copy; some image is elastically warped).
 */
public record BatchParams(float[] packed, int[] elasticKeys, boolean pixelAligned, boolean anyElastic) {
    /** Floats per image in {@link #packed} (what a caller uploading the plan itself sizes its buffer by). */
    public static final int FLOATS_PER_IMAGE = ParamLayout.SIZE;

    public int count() {
        return elasticKeys.length;
    }

    public float get(int image, int slot) {
        return packed[image * ParamLayout.SIZE + slot];
    }

    /**
     * Image {@code image}'s geometry: output pixel (x, y) samples source (A x + B y + C, D x + E y + F);
     * returns {A, B, C, D, E, F} (e.g. to move annotated boxes along with the pixels).
     */
    public double[] sourceAffine(int image) {
        double[] a = new double[6];
        for (int k = 0; k < 6; k++) a[k] = packed[image * ParamLayout.SIZE + ParamLayout.A + k];
        return a;
    }
}
