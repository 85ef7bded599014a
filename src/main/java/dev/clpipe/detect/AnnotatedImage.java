package dev.clpipe.detect;

import java.util.List;
import java.util.Objects;

/**
 * The ground truth of one image as an annotation reader returns it.
 *
 * @param image file name or relative path as the annotation names it
 * @param width image width in pixels, 0 if the annotation does not say
 * @param height image height in pixels, 0 if the annotation does not say
 * @param objects boxes in pixels, origin top-left, corner form
 */
public record AnnotatedImage(String image, int width, int height, List<Annotation> objects) {
    public AnnotatedImage {
        Objects.requireNonNull(image, "image");
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("image size must be >= 0, got " + width + "x" + height);
        }
        objects = List.copyOf(objects);
    }
}
