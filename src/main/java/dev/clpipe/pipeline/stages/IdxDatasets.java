package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigPaths;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.IdxReader;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.TrainableModel;
import dev.clpipe.pipeline.InputPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** MNIST-style IDX pairs ({@code PREFIX-images-idx3-ubyte}, {@code PREFIX-labels-idx1-ubyte}) as an {@link Dataset}. */
final class IdxDatasets {
    private static final String HINT = "run 'make data' (datasets/fetch-mnist.sh, fetch-fashion-mnist.sh)";

    private IdxDatasets() {}

    /**
     * {@code split} is "train" or "t10k"; {@code limit} > 0 keeps only the first images. Each file
     * may also be gzipped with a {@code .gz} suffix (as Fashion-MNIST ships).
     */
    static Dataset read(Path folder, String split, int classes, int limit) throws IOException {
        Dataset d = Dataset.fromIdx(folder, split, classes);
        return limit > 0 ? d.head(limit) : d;
    }

    /** A stage's {@code data} key: the folder named, else {@code ../data/mnist} beside the YAML file. */
    static Path folder(ConfigSection s, String description) {
        return folder(s, description, Optional.empty());
    }

    /** As {@link #folder(ConfigSection, String)}, with {@code input} (the pipeline's --input) before the default. */
    static Path folder(ConfigSection s, String description, Optional<Path> input) {
        return s.describe("data", description).path("data", () -> input.orElseGet(() -> s.origin().sourceFile()
                .map(f -> ConfigPaths.resolveRelative(f, "../data/mnist")).orElse(Path.of("data/mnist"))));
    }

    /** Planning: refuses a {@code data} folder without the image and label files of {@code splits} (exit 4 before any work). */
    static Path checked(ConfigSection s, Path folder, String... splits) {
        InputPaths.folder(s, "data", folder, HINT);
        for (String split : splits) {
            for (String name : List.of(split + "-images-idx3-ubyte", split + "-labels-idx1-ubyte")) {
                if (Files.isDirectory(folder) && !Files.isRegularFile(folder.resolve(name)) && !Files.isRegularFile(folder.resolve(name + ".gz"))) {
                    InputPaths.refuse(s, "data", "folder " + folder + " lacks " + name + " (or " + name + ".gz)", HINT);
                    return folder;
                }
            }
        }
        return folder;
    }

    /**
     * Planning: an IDX folder whose {@code split} images (by their header) do not fit the model's
     * input is a config error at {@code data}, before any work; a header that cannot be read is
     * left to the run, which names what is wrong with the file.
     */
    static void checkFits(ConfigSection s, Path folder, String split, TrainableModel model) {
        if (!FolderData.isIdx(folder)) return;
        int[] dims;
        try {
            dims = IdxReader.dims(IdxReader.locate(folder, split + "-images-idx3-ubyte"));
        } catch (IOException e) {
            return;
        }
        if (dims.length != 3) return;
        Shape images = new Shape(dims[1], dims[2], 1);
        if (!images.equals(model.input())) throw s.error("data", FolderData.inputMismatch(model, images.toString(), folder + " holds"));
    }

    /**
     * Planning for stages that also take labelled image folders: IDX folders are checked as above;
     * any other folder must hold class subfolders (or come with a {@code label_list}).
     */
    static Path checkedIdxOrImages(ConfigSection s, Path folder, String... idxSplits) {
        if (FolderData.isIdx(folder)) return checked(s, folder, idxSplits);
        InputPaths.folder(s, "data", folder, HINT);
        if (Files.isDirectory(folder) && !s.has("label_list") && !hasSubfolder(folder)) {
            InputPaths.refuse(s, "data", "folder " + folder + " lacks " + idxSplits[0] + "-images-idx3-ubyte (IDX data) and holds no class subfolders "
                    + "(a labelled image folder)", HINT + ", or point data at a folder of CLASS/ subfolders");
        }
        return folder;
    }

    private static boolean hasSubfolder(Path folder) {
        try (java.util.stream.Stream<Path> entries = Files.list(folder)) {
            return entries.anyMatch(Files::isDirectory);
        } catch (IOException e) {
            return true; // unreadable listings are reported when the data is read
        }
    }
}
