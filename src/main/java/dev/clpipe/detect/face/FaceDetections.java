package dev.clpipe.detect.face;

import dev.clpipe.detect.Detection;
import java.util.List;

/**
 * The {@code Item} attachment the {@code detect-faces} stage adds: the faces found in the item's
 * image, best score first, boxes in pixels of that image ({@code ImageData} of the same item),
 * not clipped to it. Later stages (landmarks, embeddings) read it with
 * {@code item.get(FaceDetections.class)}.
 */
public record FaceDetections(int imageWidth, int imageHeight, List<Detection> faces) {
    public FaceDetections {
        faces = List.copyOf(faces);
    }
}
