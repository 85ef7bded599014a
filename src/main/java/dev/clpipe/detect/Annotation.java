package dev.clpipe.detect;

import java.util.Objects;

/**
 * One ground-truth object: class label, box in pixels, and whether evaluation ignores it.
 * An ignored object (VOC {@code <difficult>1</difficult>}, COCO {@code iscrowd}) does not count
 * towards recall, and a detection matched to it is neither a true nor a false positive.
 * A {@code crowd} object (COCO {@code iscrowd = 1}, always ignored) is matched as pycocotools
 * does: by {@code intersection / detection area} instead of IoU, since the box covers a group.
 */
public record Annotation(String label, Box box, boolean ignore, boolean crowd) {
    public Annotation {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(box, "box");
        if (crowd && !ignore) {
            throw new IllegalArgumentException("a crowd annotation is always ignored in evaluation");
        }
    }

    public Annotation(String label, Box box, boolean ignore) {
        this(label, box, ignore, false);
    }

    public Annotation(String label, Box box) {
        this(label, box, false, false);
    }

    /** A COCO {@code iscrowd = 1} region. */
    public static Annotation crowd(String label, Box box) {
        return new Annotation(label, box, true, true);
    }

    /** Overlap of a detection with this object as evaluation measures it (IoU, or the crowd ratio). */
    public double overlap(Box detection) {
        if (!crowd) {
            return detection.iou(box);
        }
        double area = detection.area();
        return area > 0 ? detection.intersection(box) / area : 0;
    }
}
