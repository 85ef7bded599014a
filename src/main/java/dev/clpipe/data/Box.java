package dev.clpipe.data;

/**
 * An axis-aligned box in pixels, origin top-left, as in {@code detections.jsonl}:
 * {@code [x, y, w, h]}.
 */
public record Box(double x, double y, double w, double h) {
    public Box {
        if (!(w >= 0 && h >= 0)) {
            throw new IllegalArgumentException("box width and height must be >= 0, got " + w + "x" + h);
        }
    }

    /** The smallest box holding all the given points (x0, y0, x1, y1, ...). */
    public static Box around(double... xy) {
        if (xy.length < 2 || xy.length % 2 != 0) {
            throw new IllegalArgumentException("need x,y pairs, got " + xy.length + " values");
        }
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < xy.length; i += 2) {
            minX = Math.min(minX, xy[i]);
            maxX = Math.max(maxX, xy[i]);
            minY = Math.min(minY, xy[i + 1]);
            maxY = Math.max(maxY, xy[i + 1]);
        }
        return new Box(minX, minY, maxX - minX, maxY - minY);
    }

    /** {@code [x, y, w, h]}, the JSON form. */
    public double[] toArray() {
        return new double[] {x, y, w, h};
    }
}
