package dev.clpipe.face.align;

/**
 * face-api's {@code NetInput.toBatchTensor(size, isCenterInputs=true)} for one crop (docs/face-models.md §2):
 * zero-pad the short side to a square, {@code round(diff / 2)} after and the rest before, then
 * tf.image.resizeBilinear with the legacy mapping (alignCorners=false, halfPixelCenters=false:
 * source = dest * in / out). Values stay 0..255; the networks normalise.
 */
public final class NetInput {
    private NetInput() {}

    /** NHWC {@code size x size x 3} floats written into {@code out} at {@code offset}. */
    public static void centredSquare(RgbImage crop, int size, float[] out, int offset) {
        int n = Math.max(crop.width(), crop.height());
        int diff = n - Math.min(crop.width(), crop.height());
        int before = diff - (int) Math.round(diff * 0.5);
        int top = crop.height() < n ? before : 0, left = crop.width() < n ? before : 0;
        double scale = (double) n / size;
        for (int r = 0; r < size; r++) {
            double fy = r * scale;
            int y0 = (int) Math.floor(fy), y1 = Math.min(n - 1, (int) Math.ceil(fy));
            double dy = fy - y0;
            for (int col = 0; col < size; col++) {
                double fx = col * scale;
                int x0 = (int) Math.floor(fx), x1 = Math.min(n - 1, (int) Math.ceil(fx));
                double dx = fx - x0;
                int o = offset + (r * size + col) * 3;
                for (int c = 0; c < 3; c++) {
                    double a = padded(crop, x0 - left, y0 - top, c), b = padded(crop, x1 - left, y0 - top, c);
                    double p = padded(crop, x0 - left, y1 - top, c), q = padded(crop, x1 - left, y1 - top, c);
                    double upper = a + (b - a) * dx, lower = p + (q - p) * dx;
                    out[o + c] = (float) (upper + (lower - upper) * dy);
                }
            }
        }
    }

    public static float[] centredSquare(RgbImage crop, int size) {
        float[] out = new float[size * size * 3];
        centredSquare(crop, size, out, 0);
        return out;
    }

    private static double padded(RgbImage img, int x, int y, int c) {
        return x < 0 || y < 0 || x >= img.width() || y >= img.height() ? 0 : img.at(x, y, c);
    }
}
