package dev.clpipe.augment;

/**
 * Everything the device needs to augment one batch: {@link ParamLayout#SIZE} floats per image,
 * the elastic noise key per image, and two batch-wide facts that pick kernels (every image is a
 * whole-pixel copy; some image is elastically warped).
 */
public record BatchParams(float[] packed, int[] elasticKeys, boolean pixelAligned, boolean anyElastic) {
    public int count() {
        return elasticKeys.length;
    }

    public float get(int image, int slot) {
        return packed[image * ParamLayout.SIZE + slot];
    }
}
