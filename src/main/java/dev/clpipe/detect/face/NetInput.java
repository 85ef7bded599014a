package dev.clpipe.detect.face;

import dev.clpipe.data.ImageData;

/**
 * face-api's {@code NetInput.toBatchTensor(inputSize, false)} for one crop of an image
 * (docs/face-models.md §2): zero padding after the image (bottom or right) to a square of side
 * {@code max(w, h)}, then {@code tf.image.resizeBilinear} with the legacy mapping
 * (source = destination * in / out, no half-pixel offset) to {@code size x size}, values 0..255
 * RGB. Grey images are replicated to RGB and alpha is dropped, as {@code tf.node.decodeImage(.., 3)} does.
 */
public final class NetInput {
    private NetInput() {}

    /** Writes {@code size * size * 3} floats at {@code dst[offset..]}. */
    public static void letterbox(ImageData image, Crop crop, int size, float[] dst, int offset) {
        int side = Math.max(crop.width(), crop.height());
        double ratio = (double) side / size;
        int[] y0 = new int[size], y1 = new int[size], x0 = new int[size], x1 = new int[size];
        double[] fy = new double[size], fx = new double[size];
        for (int i = 0; i < size; i++) {
            double f = ratio * i;
            y0[i] = x0[i] = (int) Math.floor(f);
            y1[i] = x1[i] = Math.min(side - 1, (int) Math.ceil(f));
            fy[i] = fx[i] = f - Math.floor(f);
        }
        Sampler s = new Sampler(image, crop);
        int o = offset;
        for (int r = 0; r < size; r++) {
            for (int col = 0; col < size; col++) {
                for (int c = 0; c < 3; c++) {
                    double tl = s.at(y0[r], x0[col], c), tr = s.at(y0[r], x1[col], c);
                    double bl = s.at(y1[r], x0[col], c), br = s.at(y1[r], x1[col], c);
                    double top = tl + (tr - tl) * fx[col];
                    double bottom = bl + (br - bl) * fx[col];
                    dst[o++] = (float) (top + (bottom - top) * fy[r]);
                }
            }
        }
    }

    /** Pixel (row, column) of the crop's zero-padded square, channel c of RGB. */
    private record Sampler(byte[] pixels, int stride, int channels, int x0, int y0, int w, int h) {
        Sampler(ImageData image, Crop crop) {
            this(image.pixels(), image.width(), image.channels(), crop.x(), crop.y(), crop.width(), crop.height());
        }

        int at(int row, int col, int c) {
            if (row >= h || col >= w) return 0;
            int ch = channels == 1 ? 0 : c;
            return pixels[((y0 + row) * stride + x0 + col) * channels + ch] & 0xFF;
        }
    }

    /**
     * face-api's reshaped dimensions of a {@code w x h} input at net size {@code size}
     * ({@code computeReshapedDimensions}): {@code round(w * s) x round(h * s)}, s = size / max(w, h).
     */
    static double[] reshaped(int w, int h, int size) {
        double s = (double) size / Math.max(w, h);
        return new double[] {Math.round(w * s), Math.round(h * s)};
    }
}
