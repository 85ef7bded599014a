package dev.clpipe.nn;

/**
 * Labelled 8-bit images in host memory: {@code images} holds count x shape.size() bytes (HWC per
 * image), {@code labels} one class per image in [0, classes).
 */
public record Dataset(String name, byte[] images, int[] labels, Shape shape, int classes) {
    public Dataset {
        if (labels.length == 0) throw new IllegalArgumentException(name + ": no images");
        if ((long) labels.length * shape.size() != images.length) {
            throw new IllegalArgumentException(name + ": " + images.length + " bytes do not hold " + labels.length + " images of " + shape);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of image " + i + " is outside [0, " + classes + ")");
            }
        }
    }

    public int count() {
        return labels.length;
    }

    /** The first {@code n} images (quick runs, tests). */
    public Dataset head(int n) {
        if (n >= count()) return this;
        byte[] im = java.util.Arrays.copyOf(images, n * shape.size());
        return new Dataset(name, im, java.util.Arrays.copyOf(labels, n), shape, classes);
    }
}
