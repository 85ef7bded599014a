package dev.clpipe.detect;

/** One anchor box shape: width and height, in the unit of its {@link AnchorSet}. */
public record Anchor(double w, double h) {
    public Anchor {
        if (!(w > 0 && h > 0) || !Double.isFinite(w) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("anchor width and height must be positive, got " + w + "x" + h);
        }
    }

    /**
     * IoU of two shapes placed on the same centre, the similarity the course uses to pick an
     * anchor for a ground-truth box and k-means uses as {@code 1 - distance}:
     * {@code min(w1,w2) * min(h1,h2) / (w1*h1 + w2*h2 - that)}.
     */
    public static double shapeIou(double w1, double h1, double w2, double h2) {
        double inter = Math.min(w1, w2) * Math.min(h1, h2);
        double union = w1 * h1 + w2 * h2 - inter;
        return union > 0 ? inter / union : 0;
    }

    public double shapeIou(double w2, double h2) {
        return shapeIou(w, h, w2, h2);
    }
}
