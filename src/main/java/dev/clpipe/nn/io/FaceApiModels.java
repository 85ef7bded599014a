package dev.clpipe.nn.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the face-api models live and how to load them all. The files come from
 * {@code datasets/fetch-face-models.sh DEST} (npm {@code @vladmandic/face-api@1.7.15}, folder
 * {@code model/}), which puts them in {@code DEST/face-api/}.
 *
 * <pre>{@code
 * Path dir = FaceApiModels.defaultFolder();                 // data/face-api unless configured
 * TinyFaceDetectorWeights det = TinyFaceDetectorWeights.load(dir);
 * float[] oihw = det.conv0().filter().toOihw();              // [16, 3, 3, 3]
 * }</pre>
 */
public final class FaceApiModels {
    public static final String SOURCE = "@vladmandic/face-api@1.7.15";
    /** System property naming the model folder; else environment variable {@link #ENV}; else {@code data/face-api}. */
    public static final String PROPERTY = "clpipe.faceModels";
    public static final String ENV = "CLPIPE_FACE_MODELS";
    public static final List<String> MANIFESTS = List.of(TinyFaceDetectorWeights.MANIFEST, FaceLandmark68Weights.MANIFEST,
            FaceLandmark68Weights.MANIFEST_TINY, FaceRecognitionWeights.MANIFEST, SsdMobilenetV1Weights.MANIFEST);

    private FaceApiModels() {}

    /** All five networks' weights. */
    public record All(TinyFaceDetectorWeights tinyFaceDetector, FaceLandmark68Weights landmarks68,
            FaceLandmark68Weights landmarks68Tiny, FaceRecognitionWeights recognition, SsdMobilenetV1Weights ssdMobilenetV1) {}

    public static Path defaultFolder() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) configured = System.getenv(ENV);
        return Path.of(configured == null || configured.isBlank() ? "data/face-api" : configured);
    }

    /** The manifests missing from {@code folder} (empty when all are there). */
    public static List<String> missing(Path folder) {
        return MANIFESTS.stream().filter(m -> !Files.isRegularFile(folder.resolve(m))).toList();
    }

    public static All loadAll(Path folder) throws TfjsFormatException {
        List<String> missing = missing(folder);
        if (!missing.isEmpty()) {
            throw new TfjsFormatException("face models missing from " + folder.toAbsolutePath() + ": " + String.join(", ", missing)
                    + " (fetch them with: datasets/fetch-face-models.sh " + describeDest(folder) + ")");
        }
        return new All(TinyFaceDetectorWeights.load(folder), FaceLandmark68Weights.load(folder, false),
                FaceLandmark68Weights.load(folder, true), FaceRecognitionWeights.load(folder), SsdMobilenetV1Weights.load(folder));
    }

    private static String describeDest(Path folder) {
        Path parent = folder.getFileName() != null && folder.getFileName().toString().equals("face-api") ? folder.getParent() : null;
        return parent == null ? "DEST (models go to DEST/face-api/)" : parent.toString();
    }
}
