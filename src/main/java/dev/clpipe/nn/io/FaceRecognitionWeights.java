package dev.clpipe.nn.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * face-api's face recognition net (a ResNet-34-like net ported from dlib): conv32_down 7x7 stride 2
 * 'valid' 3→32, max pool 3x3 stride 2 'valid', 14 residual blocks (32 ×3, 64 ×4, 128 ×3, 256 ×4;
 * the first of each width, and conv256_down_out, down-sample), global mean, then fc
 * {@code [256, 128]} without bias. Every conv is followed by a per-channel scale layer (folded
 * batch norm). Output: a 128-D descriptor, not L2-normalised. Details: docs/face-models.md.
 */
public record FaceRecognitionWeights(ConvLayerWeights conv32Down, List<ResidualWeights> residuals, DenseWeights fc) {
    public static final String MANIFEST = "face_recognition_model-weights_manifest.json";
    public static final int INPUT_SIZE = 150;
    public static final int DESCRIPTOR_SIZE = 128;
    /** FaceMatcher's default: two descriptors match when their Euclidean distance is below this. */
    public static final float DEFAULT_DISTANCE_THRESHOLD = 0.6f;

    /** faceRecognitionNet/FaceRecognitionNet.ts meanRgb, subtracted from 0..255 RGB before /255. */
    public static float[] meanRgb() {
        return new float[] {122.782f, 117.001f, 104.298f};
    }

    /** conv (HWIO filter + bias) then scale: y = (conv(x) + bias) * scale.weights + scale.biases. */
    public record ConvLayerWeights(ConvWeights conv, ScaleWeights scale) {
        public ConvLayerWeights {
            if (scale.channels() != conv.outChannels()) {
                throw new IllegalArgumentException("conv layer '" + conv.name() + "': scale has " + scale.channels()
                        + " channels, conv has " + conv.outChannels());
            }
        }
    }

    /**
     * A residual block: conv1 (relu) then conv2 (no relu), added to the shortcut, then relu. When
     * {@code down}, conv1 has stride 2 'valid' and the shortcut is avgPool 2x2 stride 2 'valid',
     * zero-padded in channels (and conv2's output zero-padded by one row/column when sizes differ).
     */
    public record ResidualWeights(String name, boolean down, ConvLayerWeights conv1, ConvLayerWeights conv2) {}

    /** Block names in execution order, with their width and whether they down-sample. */
    private static final String[] BLOCKS = {
        "conv32_1", "conv32_2", "conv32_3",
        "conv64_down", "conv64_1", "conv64_2", "conv64_3",
        "conv128_down", "conv128_1", "conv128_2",
        "conv256_down", "conv256_1", "conv256_2", "conv256_down_out"};

    public FaceRecognitionWeights {
        residuals = List.copyOf(residuals);
    }

    public static FaceRecognitionWeights load(Path folder) throws TfjsFormatException {
        return from(TfjsWeights.read(folder.resolve(MANIFEST)));
    }

    public static FaceRecognitionWeights from(TfjsWeights weights) throws TfjsFormatException {
        WeightTaker w = new WeightTaker(weights, "FaceRecognitionNet");
        ConvLayerWeights first = convLayer(w, "conv32_down", 7, 3, 32);
        List<ResidualWeights> residuals = new ArrayList<>();
        int in = 32;
        for (String name : BLOCKS) {
            int width = Integer.parseInt(name.substring(4, name.indexOf('_')));
            boolean down = name.contains("_down");
            residuals.add(new ResidualWeights(name, down, convLayer(w, name + "/conv1", 3, in, width),
                    convLayer(w, name + "/conv2", 3, width, width)));
            in = width;
        }
        DenseWeights fc = new DenseWeights("fc", in, DESCRIPTOR_SIZE, w.take("fc", in, DESCRIPTOR_SIZE).values(), null);
        w.refuseLeftovers(name -> false);
        return new FaceRecognitionWeights(first, residuals, fc);
    }

    private static ConvLayerWeights convLayer(WeightTaker w, String prefix, int k, int in, int out) throws TfjsFormatException {
        ConvWeights conv = w.conv(prefix, prefix + "/conv/filters", prefix + "/conv/bias", k, in, out);
        ScaleWeights scale = new ScaleWeights(prefix + "/scale", w.vector(prefix + "/scale/weights", out),
                w.vector(prefix + "/scale/biases", out));
        return new ConvLayerWeights(conv, scale);
    }
}
