package dev.clpipe.detect.face;

import dev.clpipe.detect.Detection;
import java.util.List;

/** The faces of one image after {@link FaceRecheck}: those kept (best first) and those rejected, with why. */
public record CheckedFaces(List<Detection> kept, List<RejectedFace> rejected) {
    /** A detection the re-check turned down. */
    public record RejectedFace(Detection detection, String reason) {}

    public CheckedFaces {
        kept = List.copyOf(kept);
        rejected = List.copyOf(rejected);
    }
}
