package dev.clpipe.face.io;

/** One line of {@code faces.jsonl}: image (relative path), face index in it, box (x, y, w, h) in pixels, score, embedding. */
public record FaceRecord(String image, int face, double[] box, double score, float[] embedding) {
    public FaceRecord {
        if (image == null || image.isEmpty()) throw new IllegalArgumentException("face record needs an image");
        if (box.length != 4) throw new IllegalArgumentException("box must be [x, y, w, h], got " + box.length + " values");
    }
}
