package dev.clpipe.data;

/**
 * Where an image of {@code sourceWidth x sourceHeight} pixels lands in a fixed sample frame: frame
 * x = {@code scaleX * x + offsetX} (same for y), continuous coordinates, origin top-left. What a box
 * annotated on the image becomes in the frame, and a box found in the frame on the image.
 */
public record FramePlacement(int sourceWidth, int sourceHeight, double scaleX, double scaleY, int offsetX, int offsetY, int placedWidth, int placedHeight) {

    /** Frame x of image x. */
    public double toFrameX(double x) {
        return scaleX * x + offsetX;
    }

    public double toFrameY(double y) {
        return scaleY * y + offsetY;
    }

    /** Image x of frame x. */
    public double toImageX(double x) {
        return (x - offsetX) / scaleX;
    }

    public double toImageY(double y) {
        return (y - offsetY) / scaleY;
    }

    /** True when the frame holds the image pixel for pixel at the top-left (frame and image coordinates agree). */
    public boolean isIdentity() {
        return scaleX == 1 && scaleY == 1 && offsetX == 0 && offsetY == 0;
    }
}
