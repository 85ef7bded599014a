package dev.clpipe.augment;

import static dev.clpipe.augment.ParamLayout.*;

/**
 * The plain-Java twin of augment.cl: the same float operations in the same order, one pixel at a
 * time. Slow and obviously correct; the kernel tests compare against it.
 */
public final class ReferenceAugmenter {
    private ReferenceAugmenter() {}

    /** The whole augmentation of {@code source} for the given samples, as {@link Augmenter} does on a device. */
    public static ImageBatch apply(AugmentConfig config, ImageBatch source, int epoch, long[] indices) {
        BatchParams params = new ParamPlanner(config).plan(epoch, indices, source.height(), source.width(), source.channels());
        ImageBatch fused = fused(source, params, config.outputHeight(), config.outputWidth());
        ElasticSpec elastic = config.elastic();
        if (elastic == null || !params.anyElastic()) return fused;
        return elastic(fused, params, ElasticField.weights(elastic.sigma(), elastic.radius()), elastic.radius());
    }

    /** The fused pass (augment_warp; augment_copy gives identical bytes on pixel-aligned maps). */
    static ImageBatch fused(ImageBatch src, BatchParams params, int outH, int outW) {
        int channels = src.channels();
        ImageBatch out = ImageBatch.allocate(src.count(), outH, outW, channels);
        for (int n = 0; n < src.count(); n++) {
            int p = n * SIZE;
            float[] q = params.packed();
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    float sx = q[p + A] * (float) x + q[p + B] * (float) y + q[p + C];
                    float sy = q[p + D] * (float) x + q[p + E] * (float) y + q[p + F];
                    for (int c = 0; c < channels; c++) {
                        float v = bilinear(src, n, sx, sy, c, q[p + FILL]);
                        out.pixels()[((n * outH + y) * outW + x) * channels + c] = saturate(q[p + GAIN + c] * v + q[p + BIAS + c]);
                    }
                }
            }
        }
        return out;
    }

    /** Elastic warp of output-sized images (elastic_rows + elastic_warp). */
    static ImageBatch elastic(ImageBatch src, BatchParams params, float[] weights, int radius) {
        int w = src.width(), h = src.height(), rows = h + 2 * radius;
        ImageBatch out = ImageBatch.allocate(src.count(), h, w, src.channels());
        float[] tmp = new float[rows * w * 2];
        for (int n = 0; n < src.count(); n++) {
            int key = params.elasticKeys()[n];
            for (int row = 0; row < rows; row++) {
                for (int x = 0; x < w; x++) {
                    float dx = 0f, dy = 0f;
                    for (int k = -radius; k <= radius; k++) {
                        dx += weights[k + radius] * ElasticField.noise(key, x + k, row - radius, 0);
                        dy += weights[k + radius] * ElasticField.noise(key, x + k, row - radius, 1);
                    }
                    tmp[(row * w + x) * 2] = dx;
                    tmp[(row * w + x) * 2 + 1] = dy;
                }
            }
            float alpha = params.get(n, ELASTIC_ALPHA), fill = params.get(n, FILL);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float dx = 0f, dy = 0f;
                    for (int k = -radius; k <= radius; k++) {
                        int row = y + k + radius;
                        dx += weights[k + radius] * tmp[(row * w + x) * 2];
                        dy += weights[k + radius] * tmp[(row * w + x) * 2 + 1];
                    }
                    float sx = (float) x + alpha * dx, sy = (float) y + alpha * dy;
                    for (int c = 0; c < src.channels(); c++) {
                        out.pixels()[((n * h + y) * w + x) * src.channels() + c] = saturate(bilinear(src, n, sx, sy, c, fill));
                    }
                }
            }
        }
        return out;
    }

    private static float bilinear(ImageBatch img, int n, float sx, float sy, int c, float fill) {
        sx = Math.min(Math.max(sx, -2.0f), (float) img.width() + 1.0f);
        sy = Math.min(Math.max(sy, -2.0f), (float) img.height() + 1.0f);
        float x0 = (float) Math.floor(sx), y0 = (float) Math.floor(sy);
        float fx = sx - x0, fy = sy - y0;
        int ix = (int) x0, iy = (int) y0;
        float top = fetch(img, n, ix, iy, c, fill) * (1.0f - fx) + fetch(img, n, ix + 1, iy, c, fill) * fx;
        float bot = fetch(img, n, ix, iy + 1, c, fill) * (1.0f - fx) + fetch(img, n, ix + 1, iy + 1, c, fill) * fx;
        return top * (1.0f - fy) + bot * fy;
    }

    private static float fetch(ImageBatch img, int n, int x, int y, int c, float fill) {
        return x >= 0 && x < img.width() && y >= 0 && y < img.height() ? (float) img.get(n, y, x, c) : fill;
    }

    /** convert_uchar_sat_rte: round half to even, clamp to 0..255. */
    static byte saturate(float v) {
        return (byte) (int) Math.min(255.0, Math.max(0.0, Math.rint(v)));
    }
}
