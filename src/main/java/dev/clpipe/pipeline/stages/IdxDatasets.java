package dev.clpipe.pipeline.stages;

import dev.clpipe.data.IdxFile;
import dev.clpipe.data.IdxReader;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.Shape;
import java.io.IOException;
import java.nio.file.Path;

/** MNIST-style IDX pairs ({@code PREFIX-images-idx3-ubyte}, {@code PREFIX-labels-idx1-ubyte}) as an {@link Dataset}. */
final class IdxDatasets {
    private IdxDatasets() {}

    /**
     * {@code split} is "train" or "t10k"; {@code limit} > 0 keeps only the first images. Each file
     * may also be gzipped with a {@code .gz} suffix (as Fashion-MNIST ships).
     */
    static Dataset read(Path folder, String split, int classes, int limit) throws IOException {
        Path images = IdxReader.locate(folder, split + "-images-idx3-ubyte");
        Path labels = IdxReader.locate(folder, split + "-labels-idx1-ubyte");
        IdxReader.Labelled l = IdxReader.readLabelled(images, labels);
        IdxFile im = l.images();
        int[] dims = im.dims();
        int[] y = new int[l.count()];
        for (int i = 0; i < y.length; i++) y[i] = l.label(i);
        Dataset d = new Dataset(split, im.data(), y, new Shape(dims[1], dims[2], 1), classes);
        return limit > 0 ? d.head(limit) : d;
    }

}
