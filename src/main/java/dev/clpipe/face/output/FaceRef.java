package dev.clpipe.face.output;

/**
 * One detected face as the writers see it: the image it came from (relative path, as in
 * {@code faces.jsonl}), its index within that image, where its thumbnail is (a path relative to
 * the HTML file, or a {@code data:} URI, see {@link ContactSheetWriter#dataUri}), the detector's
 * score (NaN when unknown) and a link to the source photo relative to the HTML file (null: none).
 */
public record FaceRef(String image, int face, String thumbnail, double score, String photo) {
    public FaceRef {
        if (image == null) throw new IllegalArgumentException("face image path must not be null");
        if (face < 0) throw new IllegalArgumentException("face index must be >= 0, got " + face);
    }

    public FaceRef(String image, int face, String thumbnail) {
        this(image, face, thumbnail, Double.NaN, null);
    }
}
