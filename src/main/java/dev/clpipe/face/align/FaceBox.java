package dev.clpipe.face.align;

/** A face to embed: box (x, y, w, h) in image pixels, top-left origin, and the detector's score (1 for given boxes). */
public record FaceBox(double x, double y, double w, double h, double score) {
    public FaceBox {
        if (!(w > 0 && h > 0)) throw new IllegalArgumentException("face box must have a positive size, got " + w + "x" + h);
    }

    public double[] toArray() {
        return new double[] {x, y, w, h};
    }
}
