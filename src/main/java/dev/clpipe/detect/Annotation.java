package dev.clpipe.detect;

import java.util.Objects;

/**
 * One ground-truth object: class label, box in pixels, and whether evaluation should ignore it
 * (VOC {@code <difficult>1</difficult>}, COCO {@code iscrowd}: a detection on it is neither a
 * true nor a false positive, and it does not count towards recall).
 */
public record Annotation(String label, Box box, boolean ignore) {
    public Annotation {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(box, "box");
    }

    public Annotation(String label, Box box) {
        this(label, box, false);
    }
}
