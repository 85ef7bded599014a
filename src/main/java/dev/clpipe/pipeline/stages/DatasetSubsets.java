package dev.clpipe.pipeline.stages;

import dev.clpipe.nn.Dataset;
import java.util.Arrays;
import java.util.Set;

/** Slices of a {@link Dataset}: only some classes (keeping their labels), or a range of images. */
final class DatasetSubsets {
    private DatasetSubsets() {}

    /** The images whose label is in {@code classes}, in file order. */
    static Dataset withClasses(Dataset d, Set<Integer> classes, String name) {
        int pixels = d.shape().size();
        int[] keep = java.util.stream.IntStream.range(0, d.count()).filter(i -> classes.contains(d.labels()[i])).toArray();
        if (keep.length == 0) throw new IllegalArgumentException(d.name() + " holds no image of classes " + classes);
        byte[] images = new byte[keep.length * pixels];
        int[] labels = new int[keep.length];
        for (int k = 0; k < keep.length; k++) {
            System.arraycopy(d.images(), keep[k] * pixels, images, k * pixels, pixels);
            labels[k] = d.labels()[keep[k]];
        }
        return new Dataset(name, images, labels, d.shape(), d.classes());
    }

    /** Images [from, to). */
    static Dataset range(Dataset d, int from, int to, String name) {
        int pixels = d.shape().size();
        return new Dataset(name, Arrays.copyOfRange(d.images(), from * pixels, to * pixels), Arrays.copyOfRange(d.labels(), from, to),
                d.shape(), d.classes());
    }
}
