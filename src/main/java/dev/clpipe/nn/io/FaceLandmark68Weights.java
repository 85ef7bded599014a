package dev.clpipe.nn.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * face-api's 68-point landmark nets. Full net: 4 dense blocks of 4 convs (32, 64, 128, 256
 * channels), avg pool 7x7, fc 256→136. Tiny net: 3 dense blocks of 3 convs (32, 64, 128),
 * avg pool 14x14, fc 128→136. In each block conv0 has stride 2 ('same'); dense0/conv0 is a plain
 * 3x3 conv, every other conv is separable. Output: 68 interleaved (x, y) pairs relative to the
 * padded 112x112 input. Details: docs/face-models.md.
 */
public record FaceLandmark68Weights(boolean tiny, List<DenseBlockWeights> blocks, DenseWeights fc) {
    public static final String MANIFEST = "face_landmark_68_model-weights_manifest.json";
    public static final String MANIFEST_TINY = "face_landmark_68_tiny_model-weights_manifest.json";
    public static final int INPUT_SIZE = 112;
    public static final int NUM_POINTS = 68;
    private static final int[] CHANNELS = {32, 64, 128, 256};
    private static final int[] CHANNELS_TINY = {32, 64, 128};

    /** faceFeatureExtractor/FaceFeatureExtractor.ts meanRgb, subtracted from 0..255 RGB before /255. */
    public static float[] meanRgb() {
        return new float[] {122.782f, 117.001f, 104.298f};
    }

    /**
     * One dense block {@code denseN}: {@code conv0} (stride 2; a {@link ConvWeights} 3x3 for dense0,
     * else a {@link SeparableConvWeights}) and the stride-1 separable {@code convs} conv1..conv3
     * (conv1..conv2 in the tiny net), each fed the relu of the sum of all earlier outputs.
     */
    public record DenseBlockWeights(String name, LayerWeights conv0, List<SeparableConvWeights> convs) {
        public DenseBlockWeights {
            convs = List.copyOf(convs);
        }

        public int channels() {
            return conv0.outChannels();
        }
    }

    public FaceLandmark68Weights {
        blocks = List.copyOf(blocks);
    }

    public static FaceLandmark68Weights load(Path folder, boolean tiny) throws TfjsFormatException {
        return from(TfjsWeights.read(folder.resolve(tiny ? MANIFEST_TINY : MANIFEST)), tiny);
    }

    public static FaceLandmark68Weights from(TfjsWeights weights, boolean tiny) throws TfjsFormatException {
        WeightTaker w = new WeightTaker(weights, tiny ? "FaceLandmark68TinyNet" : "FaceLandmark68Net");
        int[] channels = tiny ? CHANNELS_TINY : CHANNELS;
        int convsPerBlock = tiny ? 3 : 4;
        List<DenseBlockWeights> blocks = new ArrayList<>();
        int in = 3;
        for (int b = 0; b < channels.length; b++) {
            String prefix = "dense" + b;
            int c = channels[b];
            LayerWeights conv0 = b == 0 ? w.conv(prefix + "/conv0", 3, in, c) : w.separable(prefix + "/conv0", in, c);
            List<SeparableConvWeights> convs = new ArrayList<>();
            for (int i = 1; i < convsPerBlock; i++) convs.add(w.separable(prefix + "/conv" + i, c, c));
            blocks.add(new DenseBlockWeights(prefix, conv0, convs));
            in = c;
        }
        int outputs = 2 * NUM_POINTS;
        DenseWeights fc = new DenseWeights("fc", in, outputs, w.take("fc/weights", in, outputs).values(),
                w.vector("fc/bias", outputs));
        w.refuseLeftovers(name -> false);
        return new FaceLandmark68Weights(tiny, blocks, fc);
    }
}
