package dev.clpipe.face.output;

/**
 * One detected face as the writers see it: the image it came from (relative path, as in
 * {@code faces.jsonl}), its index within that image, and where its thumbnail is: a path
 * relative to the HTML file, or a {@code data:} URI (see {@link ContactSheetWriter#dataUri}).
 */
public record FaceRef(String image, int face, String thumbnail) {
    public FaceRef {
        if (image == null) throw new IllegalArgumentException("face image path must not be null");
        if (face < 0) throw new IllegalArgumentException("face index must be >= 0, got " + face);
    }
}
