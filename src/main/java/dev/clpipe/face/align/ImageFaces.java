package dev.clpipe.face.align;

import java.util.List;

/**
 * Item attachment: the embedded faces of one image, in box order, each with a small JPEG
 * thumbnail of its descriptor crop (for contact sheets; may be empty).
 */
public record ImageFaces(List<EmbeddedFace> faces, List<byte[]> thumbnails) {
    public ImageFaces {
        if (faces.size() != thumbnails.size()) throw new IllegalArgumentException(faces.size() + " faces but " + thumbnails.size() + " thumbnails");
        faces = List.copyOf(faces);
        thumbnails = List.copyOf(thumbnails);
    }
}
