package dev.clpipe.nn.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * face-api's tiny face detector (TinyYolov2 with separable convs): conv0 3x3 3→16 ('valid', leaky),
 * then separable conv1..conv5 (16→32→64→128→256→512, each padded by 1 then 'valid', + bias,
 * leaky 0.1), max pools between, and conv8 1x1 512→25 (5 anchors × [x, y, w, h, objectness]).
 * Batch norm is already folded into the biases; the manifest has none. Layer sequence,
 * preprocessing and decoding: docs/face-models.md.
 */
public record TinyFaceDetectorWeights(ConvWeights conv0, List<SeparableConvWeights> separable, ConvWeights conv8) {
    public static final String MANIFEST = "tiny_face_detector_model-weights_manifest.json";
    /** Channels in → out of conv0, conv1..conv5 (face-api TinyFaceDetector {@code filterSizes}). */
    private static final int[] FILTER_SIZES = {3, 16, 32, 64, 128, 256, 512};
    public static final int NUM_ANCHORS = 5;
    /** [x, y, w, h, objectness] per anchor; one class ("face"), so no class scores. */
    public static final int BOX_ENCODING_SIZE = 5;
    public static final int DEFAULT_INPUT_SIZE = 416;
    public static final float DEFAULT_SCORE_THRESHOLD = 0.5f;
    public static final float IOU_THRESHOLD = 0.4f;
    /** tf.scalar(0.10000000149011612): leaky(x) = relu(x - 0.1x) + 0.1x. */
    public static final float LEAKY_SLOPE = 0.1f;

    /** An anchor's width and height in grid cells. */
    public record Anchor(float width, float height) {}

    /** tinyFaceDetector/const.ts BOX_ANCHORS, in output-channel order. */
    public static final List<Anchor> ANCHORS = List.of(
            new Anchor(1.603231f, 2.094468f),
            new Anchor(6.041143f, 7.080126f),
            new Anchor(2.882459f, 3.518061f),
            new Anchor(4.266906f, 5.178857f),
            new Anchor(9.041765f, 10.66308f));

    /** tinyFaceDetector/const.ts MEAN_RGB, subtracted from 0..255 RGB before dividing by 255. */
    public static float[] meanRgb() {
        return new float[] {117.001f, 114.697f, 97.404f};
    }

    public TinyFaceDetectorWeights {
        separable = List.copyOf(separable);
    }

    public static TinyFaceDetectorWeights load(Path folder) throws TfjsFormatException {
        return from(TfjsWeights.read(folder.resolve(MANIFEST)));
    }

    public static TinyFaceDetectorWeights from(TfjsWeights weights) throws TfjsFormatException {
        WeightTaker w = new WeightTaker(weights, "TinyFaceDetector");
        ConvWeights conv0 = w.conv("conv0", 3, FILTER_SIZES[0], FILTER_SIZES[1]);
        List<SeparableConvWeights> separable = new ArrayList<>();
        for (int i = 1; i <= 5; i++) separable.add(w.separable("conv" + i, FILTER_SIZES[i], FILTER_SIZES[i + 1]));
        ConvWeights conv8 = w.conv("conv8", 1, FILTER_SIZES[6], NUM_ANCHORS * BOX_ENCODING_SIZE);
        w.refuseLeftovers(name -> false);
        return new TinyFaceDetectorWeights(conv0, separable, conv8);
    }
}
