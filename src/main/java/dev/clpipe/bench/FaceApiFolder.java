package dev.clpipe.bench;

import dev.clpipe.nn.io.FaceApiModels;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The face-api model folder the face benches read, with every file present (else one line saying how to fetch them). */
final class FaceApiFolder {
    private FaceApiFolder() {}

    static Path checked() {
        Path folder = FaceApiModels.defaultFolder();
        List<String> missing = FaceApiModels.missing(folder);
        if (!missing.isEmpty()) {
            throw new UncheckedIOException(new FileNotFoundException("face-api models missing in " + folder.toAbsolutePath()
                    + " " + missing + ": run `make models` or set -D" + FaceApiModels.PROPERTY + "=DIR"));
        }
        return folder;
    }
}
