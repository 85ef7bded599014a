package dev.clpipe.face.align;

import java.util.List;

/** Item attachment: the face boxes of one image (from a detector, a boxes file or the whole image). */
public record FaceBoxes(List<FaceBox> boxes) {
    public FaceBoxes {
        boxes = List.copyOf(boxes);
    }
}
