package dev.clpipe.detect.face;

/**
 * A rectangle of an image that goes through the network on its own, in image pixels, with its
 * core: detections whose centre falls outside the core are left to a neighbouring tile (cores of
 * one scale's tiles partition the image, so a face cut by a tile edge is kept whole elsewhere).
 */
public record Crop(int x, int y, int width, int height, double coreX1, double coreY1, double coreX2, double coreY2) {
    public Crop {
        if (width < 1 || height < 1) throw new IllegalArgumentException("crop must be at least 1x1, got " + width + "x" + height);
    }

    /** The whole image, its core unbounded. */
    public static Crop whole(int width, int height) {
        return new Crop(0, 0, width, height, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    public boolean coreContains(double px, double py) {
        return px >= coreX1 && px < coreX2 && py >= coreY1 && py < coreY2;
    }
}
