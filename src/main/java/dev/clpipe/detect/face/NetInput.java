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

    /**
     * Writes {@code size * size * 3} floats at {@code dst[offset..]}. The sample positions are worked out
     * once per output row and column, and the block of the square inside the crop (top left: the padding
     * comes after the image) is read without bounds checks; per value the arithmetic is the reference's
     * ({@code NetInputTest} keeps the plain form and compares bit for bit). This is most of the
     * detect-faces stage's host work, which shares the cores with the stage's devices.
     */
    public static void letterbox(ImageData image, Crop crop, int size, float[] dst, int offset) {
        int side = Math.max(crop.width(), crop.height());
        double ratio = (double) side / size;
        int channels = image.channels();
        int rowBytes = image.width() * channels;
        int[] row0 = new int[size], row1 = new int[size], col0 = new int[size], col1 = new int[size];
        double[] fy = new double[size], fx = new double[size];
        int insideRows = 0, insideCols = 0; // output rows (columns) whose two source rows (columns) are inside the crop
        for (int i = 0; i < size; i++) {
            double f = ratio * i;
            int lo = (int) Math.floor(f), hi = Math.min(side - 1, (int) Math.ceil(f));
            fy[i] = fx[i] = f - Math.floor(f);
            row0[i] = lo < crop.height() ? (crop.y() + lo) * rowBytes : -1;
            row1[i] = hi < crop.height() ? (crop.y() + hi) * rowBytes : -1;
            col0[i] = lo < crop.width() ? (crop.x() + lo) * channels : -1;
            col1[i] = hi < crop.width() ? (crop.x() + hi) * channels : -1;
            if (row1[i] >= 0) insideRows = i + 1;
            if (col1[i] >= 0) insideCols = i + 1;
        }
        byte[] px = image.pixels();
        int green = channels == 1 ? 0 : 1, blue = channels == 1 ? 0 : 2; // grey is replicated to RGB
        int o = offset;
        for (int r = 0; r < size; r++) {
            int a = row0[r], b = row1[r];
            double wy = fy[r];
            int col = 0;
            if (r < insideRows) {
                for (; col < insideCols; col++, o += 3) {
                    int p = col0[col], q = col1[col];
                    double wx = fx[col];
                    dst[o] = mix(px[a + p] & 0xFF, px[a + q] & 0xFF, px[b + p] & 0xFF, px[b + q] & 0xFF, wx, wy);
                    dst[o + 1] = mix(px[a + p + green] & 0xFF, px[a + q + green] & 0xFF, px[b + p + green] & 0xFF, px[b + q + green] & 0xFF, wx, wy);
                    dst[o + 2] = mix(px[a + p + blue] & 0xFF, px[a + q + blue] & 0xFF, px[b + p + blue] & 0xFF, px[b + q + blue] & 0xFF, wx, wy);
                }
            }
            for (; col < size; col++) { // the padding and its edge: a sample outside the crop reads 0
                int p = col0[col], q = col1[col];
                double wx = fx[col];
                dst[o++] = mix(at(px, a, p, 0), at(px, a, q, 0), at(px, b, p, 0), at(px, b, q, 0), wx, wy);
                dst[o++] = mix(at(px, a, p, green), at(px, a, q, green), at(px, b, p, green), at(px, b, q, green), wx, wy);
                dst[o++] = mix(at(px, a, p, blue), at(px, a, q, blue), at(px, b, p, blue), at(px, b, q, blue), wx, wy);
            }
        }
    }

    /** tf.image.resizeBilinear's blend of four samples, in double as the reference computes it. */
    private static float mix(int tl, int tr, int bl, int br, double wx, double wy) {
        double top = tl + (tr - tl) * wx;
        double bottom = bl + (br - bl) * wx;
        return (float) (top + (bottom - top) * wy);
    }

    /** The sample at row offset {@code row}, column offset {@code col} (-1: outside the crop, which reads 0). */
    private static int at(byte[] px, int row, int col, int ch) {
        return row < 0 || col < 0 ? 0 : px[row + col + ch] & 0xFF;
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
