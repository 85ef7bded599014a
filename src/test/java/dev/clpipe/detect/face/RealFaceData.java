package dev.clpipe.detect.face;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clpipe.nn.io.FaceApiModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Locates the face-api models and the Solvay photo with its ground truth for real-data tests:
 * skipped when missing, failed with {@code -Dclpipe.faceModels.required=true} (as {@code make test}
 * runs, after fetching both), like GoldenFaceNetsTest.
 */
public final class RealFaceData {
    public static final String SOLVAY = "1280px-Solvay_conference_1927.png";

    private RealFaceData() {}

    public static Path models() {
        Path folder = FaceApiModels.defaultFolder();
        List<String> missing = FaceApiModels.missing(folder);
        require(missing.isEmpty(), "face-api models not found in " + folder.toAbsolutePath() + " (missing " + missing
                + "): run `make models` or set -D" + FaceApiModels.PROPERTY + "=DIR");
        return folder;
    }

    /** data/photos/visp (CLPIPE_DATA or ./data), holding the Solvay photo and ground_truth_detection.txt. */
    public static Path visp() {
        String env = System.getenv("CLPIPE_DATA");
        Path visp = Path.of(env == null || env.isBlank() ? "data" : env).resolve("photos/visp");
        require(Files.isRegularFile(visp.resolve(SOLVAY)) && Files.isRegularFile(visp.resolve("ground_truth_detection.txt")),
                "Solvay photo or ground truth not found in " + visp.toAbsolutePath() + ": run `make data` or set CLPIPE_DATA");
        return visp;
    }

    private static void require(boolean ok, String message) {
        if (!ok && Boolean.getBoolean("clpipe.faceModels.required")) fail(message);
        assumeTrue(ok, message);
    }
}
