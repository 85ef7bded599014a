package dev.clpipe.face.align;

/** An integer rectangle in image pixels, top-left (x, y), size w x h, as face-api's crops are after flooring. */
public record PixelRect(int x, int y, int w, int h) {
    public PixelRect {
        if (w <= 0 || h <= 0) throw new IllegalArgumentException("crop rectangle must not be empty, got " + w + "x" + h);
    }

    /**
     * face-api's {@code Box.clipAtImageBorders} then {@code floor} ({@code extractFaceTensors}):
     * {@code x' = max(x, 0)}, {@code w' = min(x + w - x', W - x')} (same for y), all four floored.
     * Empty when nothing of the box lies inside the image (face-api drops such crops).
     */
    public static java.util.Optional<PixelRect> clipped(double x, double y, double w, double h, int imageW, int imageH) {
        double cx = Math.max(x, 0), cy = Math.max(y, 0);
        double cw = Math.min(x + w - cx, imageW - cx), ch = Math.min(y + h - cy, imageH - cy);
        int fx = (int) Math.floor(cx), fy = (int) Math.floor(cy), fw = (int) Math.floor(cw), fh = (int) Math.floor(ch);
        if (fw <= 0 || fh <= 0 || fx >= imageW || fy >= imageH) return java.util.Optional.empty();
        return java.util.Optional.of(new PixelRect(fx, fy, fw, fh));
    }

    /** The pixels of this rectangle (which must lie inside the image). */
    public RgbImage cut(RgbImage image) {
        if (x < 0 || y < 0 || x + w > image.width() || y + h > image.height()) {
            throw new IllegalArgumentException("crop " + this + " is outside the " + image.width() + "x" + image.height() + " image");
        }
        float[] out = new float[w * h * 3];
        for (int r = 0; r < h; r++) System.arraycopy(image.rgb(), ((y + r) * image.width() + x) * 3, out, r * w * 3, w * 3);
        return new RgbImage(w, h, out);
    }
}
