package dev.clpipe.augment;

/**
 * The elastic displacement field's ingredients, shared by the kernel launcher and the Java twin:
 * hashed uniform noise (the same bit operations as augment.cl's {@code noise}) and the normalised
 * Gaussian window used to smooth it.
 */
final class ElasticField {
    private ElasticField() {}

    static int mix32(int h) {
        h ^= h >>> 16;
        h *= 0x7feb352d;
        h ^= h >>> 15;
        h *= 0x846ca68b;
        h ^= h >>> 16;
        return h;
    }

    /** Uniform in [-1, 1) from 24 hash bits; exact in float, so host and device agree bit for bit. */
    static float noise(int key, int x, int y, int comp) {
        int h = mix32(key ^ mix32((x * 0x9E3779B1) ^ mix32(y * 0x85EBCA77 + comp)));
        return (h >>> 8) * (2.0f / 16777216.0f) - 1.0f;
    }

    /** Gaussian weights for offsets -radius..radius, summing to 1. */
    static float[] weights(double sigma, int radius) {
        double[] raw = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            raw[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
            sum += raw[k + radius];
        }
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i++) out[i] = (float) (raw[i] / sum);
        return out;
    }
}
