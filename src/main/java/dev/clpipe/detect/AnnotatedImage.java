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
 * @param where   for each object, where the annotation file says it ({@code labels/a.txt:3},
 *                {@code a.xml: annotation/object[2]}, {@code instances.json: annotations[17]});
 *                empty when not known
 */
public record AnnotatedImage(String image, int width, int height, List<Annotation> objects, List<String> where) {
    public AnnotatedImage {
        Objects.requireNonNull(image, "image");
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("image size must be >= 0, got " + width + "x" + height);
        }
        objects = List.copyOf(objects);
        where = List.copyOf(where);
        if (!where.isEmpty() && where.size() != objects.size()) {
            throw new IllegalArgumentException(where.size() + " source positions for " + objects.size() + " objects");
        }
    }

    public AnnotatedImage(String image, int width, int height, List<Annotation> objects) {
        this(image, width, height, objects, List.of());
    }

    /** Where object {@code i} is annotated, or the image's name when not known. */
    public String where(int i) {
        return where.isEmpty() ? image : where.get(i);
    }
}
