package dev.clpipe.detect;

/**
 * An axis-aligned box in corner form {@code (x1, y1, x2, y2)}, origin top-left, x to the right,
 * y down, {@code x1 <= x2} and {@code y1 <= y2}. The unit is whatever the caller uses: pixels, or
 * "relative" (fractions of the image width and height, 0..1); {@link #toRelative} and
 * {@link #toPixels} convert between them.
 *
 * <p>Three forms are in use around detection and all convert here:
 * <ul>
 *   <li>corner {@code (x1, y1, x2, y2)} — this record; IoU and clipping are simplest in it;</li>
 *   <li>centre {@code (cx, cy, w, h)} — what a YOLO head predicts and YOLO txt files store;</li>
 *   <li>top-left {@code (x, y, w, h)} — the public {@code detections.jsonl} and COCO form.</li>
 * </ul>
 * Coordinates are continuous: a box from 10 to 20 is 10 wide (no VOC-style "+1").
 */
public record Box(double x1, double y1, double x2, double y2) {
    public Box {
        if (!Double.isFinite(x1) || !Double.isFinite(y1) || !Double.isFinite(x2) || !Double.isFinite(y2)) {
            throw new IllegalArgumentException("box coordinates must be finite, got " + describe(x1, y1, x2, y2));
        }
        if (x2 < x1 || y2 < y1) {
            throw new IllegalArgumentException("box corners must satisfy x1 <= x2 and y1 <= y2, got "
                    + describe(x1, y1, x2, y2));
        }
    }

    /** From centre form {@code (cx, cy, w, h)}. */
    public static Box fromCentre(double cx, double cy, double w, double h) {
        return new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
    }

    /** From top-left form {@code (x, y, w, h)}, the {@code detections.jsonl} and COCO form. */
    public static Box fromTopLeft(double x, double y, double w, double h) {
        return new Box(x, y, x + w, y + h);
    }

    /** From the data package's top-left {@link dev.clpipe.data.Box} (pixels). */
    public static Box of(dev.clpipe.data.Box b) {
        return fromTopLeft(b.x(), b.y(), b.w(), b.h());
    }

    public double width() {
        return x2 - x1;
    }

    public double height() {
        return y2 - y1;
    }

    public double centreX() {
        return (x1 + x2) / 2;
    }

    public double centreY() {
        return (y1 + y2) / 2;
    }

    public double area() {
        return (x2 - x1) * (y2 - y1);
    }

    /** {@code [cx, cy, w, h]}. */
    public double[] toCentre() {
        return new double[] {centreX(), centreY(), width(), height()};
    }

    /** {@code [x, y, w, h]}: the {@code "box"} array of {@code detections.jsonl}. */
    public double[] toTopLeft() {
        return new double[] {x1, y1, width(), height()};
    }

    /** The data package's top-left form. */
    public dev.clpipe.data.Box toDataBox() {
        return new dev.clpipe.data.Box(x1, y1, width(), height());
    }

    /** Pixels to fractions of an image of the given size. */
    public Box toRelative(double imageWidth, double imageHeight) {
        checkImageSize(imageWidth, imageHeight);
        return new Box(x1 / imageWidth, y1 / imageHeight, x2 / imageWidth, y2 / imageHeight);
    }

    /** Fractions of an image of the given size to pixels. */
    public Box toPixels(double imageWidth, double imageHeight) {
        checkImageSize(imageWidth, imageHeight);
        return new Box(x1 * imageWidth, y1 * imageHeight, x2 * imageWidth, y2 * imageHeight);
    }

    /**
     * This box cut to {@code [0, width] x [0, height]}. A box wholly outside becomes a zero-area box
     * on the nearest edge (never an invalid one).
     */
    public Box clip(double width, double height) {
        checkImageSize(width, height);
        double a = clamp(x1, width);
        double b = clamp(y1, height);
        return new Box(a, b, Math.max(a, clamp(x2, width)), Math.max(b, clamp(y2, height)));
    }

    /** Area of the overlap with another box (0 if they do not overlap). */
    public double intersection(Box o) {
        double w = Math.min(x2, o.x2) - Math.max(x1, o.x1);
        double h = Math.min(y2, o.y2) - Math.max(y1, o.y1);
        return w > 0 && h > 0 ? w * h : 0;
    }

    /** Intersection over union; 0 when both boxes have zero area. */
    public double iou(Box o) {
        double inter = intersection(o);
        double union = area() + o.area() - inter;
        return union > 0 ? inter / union : 0;
    }

    private static double clamp(double v, double max) {
        return Math.min(Math.max(v, 0), max);
    }

    private static void checkImageSize(double w, double h) {
        if (!(w > 0 && h > 0) || !Double.isFinite(w) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("image size must be positive, got " + w + "x" + h);
        }
    }

    private static String describe(double x1, double y1, double x2, double y2) {
        return "(" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + ")";
    }
}
