package dev.clpipe.detect;

import java.util.Objects;

/** One detected (or ground-truth-like) object: class label, confidence in [0, 1], box in pixels. */
public record Detection(String label, double score, Box box) {
    public Detection {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(box, "box");
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("detection score must be within [0, 1], got " + score);
        }
    }
}
