package dev.clpipe.detect.face;

import dev.clpipe.detect.Detection;
import java.util.List;

/**
 * The {@code Item} attachment the {@code detect-faces} stage adds: the faces found in the item's
 * image, best score first, boxes in pixels of that image ({@code ImageData} of the same item),
 * not clipped to it; and the detections the close-up re-check turned down ({@link FaceRecheck}),
 * which later stages list in {@code faces-rejected.csv}. Later stages (landmarks, embeddings) read
 * it with {@code item.get(FaceDetections.class)}.
 */
public record FaceDetections(int imageWidth, int imageHeight, List<Detection> faces, List<CheckedFaces.RejectedFace> rejected) {
    public FaceDetections {
        faces = List.copyOf(faces);
        rejected = List.copyOf(rejected);
    }

    public FaceDetections(int imageWidth, int imageHeight, List<Detection> faces) {
        this(imageWidth, imageHeight, faces, List.of());
    }
}
