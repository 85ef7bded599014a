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

    /**
     * Split {@code split} ("train" or "t10k") of an IDX folder (MNIST layout; each file may be
     * gzipped with a {@code .gz} suffix), labels 0..classes-1.
     */
    public static Dataset fromIdx(java.nio.file.Path folder, String split, int classes) throws java.io.IOException {
        java.nio.file.Path images = dev.clpipe.data.IdxReader.locate(folder, split + "-images-idx3-ubyte");
        java.nio.file.Path labels = dev.clpipe.data.IdxReader.locate(folder, split + "-labels-idx1-ubyte");
        dev.clpipe.data.IdxReader.Labelled l = dev.clpipe.data.IdxReader.readLabelled(images, labels);
        int[] dims = l.images().dims();
        int[] y = new int[l.count()];
        for (int i = 0; i < y.length; i++) y[i] = l.label(i);
        return new Dataset(split, l.images().data(), y, new Shape(dims[1], dims[2], 1), classes);
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
