package dev.clpipe.nn.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * face-api's SSD MobileNet v1 face detector: MobileNet v1 (conv0 3x3 stride 2, then 13 pairs of
 * depthwise 3x3 + batch norm + relu6 and pointwise 1x1 + folded-BN offset + relu6), 8 extra
 * prediction convs, 6 box predictors (on conv11, conv13 and prediction convs 1, 3, 5, 7) and
 * 5118 anchors ({@code Output/extra_dim}, [ymin, xmin, ymax, xmax] relative to the 512x512
 * input). All convs are 'same'. Details: docs/face-models.md.
 */
public record SsdMobilenetV1Weights(ConvWeights conv0, List<ConvPairWeights> pairs, List<ConvWeights> predictionConvs,
        List<BoxPredictorWeights> boxPredictors, float[] anchors) {
    public static final String MANIFEST = "ssd_mobilenetv1_model-weights_manifest.json";
    public static final int INPUT_SIZE = 512;
    public static final int NUM_ANCHORS = 5118;
    /** ssdMobilenetv1/mobileNetV1.ts epsilon (float32 of 0.001). */
    public static final float BATCH_NORM_EPSILON = 0.0010000000474974513f;
    public static final float DEFAULT_MIN_CONFIDENCE = 0.5f;
    public static final int DEFAULT_MAX_RESULTS = 100;
    public static final float IOU_THRESHOLD = 0.5f;
    /** Classes per anchor in the class predictors: index 1 is "face" (score = sigmoid of it). */
    public static final int CLASSES_PER_ANCHOR = 3;

    /** MobileNet pair i (1..13): output channels and depthwise stride. */
    private static final int[] PAIR_OUT = {0, 64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024};
    private static final Set<Integer> STRIDE_2 = Set.of(2, 4, 6, 12);
    /** Prediction conv i (0..7): kernel, output channels; odd ones have stride 2. */
    private static final int[] PRED_K = {1, 3, 1, 3, 1, 3, 1, 3};
    private static final int[] PRED_OUT = {256, 512, 128, 256, 128, 256, 64, 128};
    /** Box predictor i (0..5): input channels and anchors per cell. */
    private static final int[] BOX_IN = {512, 1024, 512, 256, 256, 128};
    private static final int[] BOX_ANCHORS = {3, 6, 6, 6, 6, 6};

    /** Graph constants of the converted TF model that face-api does not use. */
    private static boolean isGraphConstant(String name) {
        return name.startsWith("Preprocessor/") || name.startsWith("Postprocessor/") || name.startsWith("concat")
                || name.matches("Prediction/BoxPredictor_\\d+/(stack|stack_1|strided_slice)(/.*)?");
    }

    /** Depthwise 3x3 filter followed by inference batch norm. */
    public record DepthwiseBnWeights(DepthwiseFilter filter, BatchNormWeights batchNorm) {}

    /** MobilenetV1/Conv2d_i: depthwise (given stride) + BN + relu6, then pointwise 1x1 + offset + relu6. */
    public record ConvPairWeights(int index, int stride, DepthwiseBnWeights depthwise, ConvWeights pointwise) {}

    /** Prediction/BoxPredictor_i: box encodings (4 per anchor) and class logits (3 per anchor), 1x1 'same' convs. */
    public record BoxPredictorWeights(int index, int anchorsPerCell, ConvWeights boxEncoding, ConvWeights classes) {}

    public SsdMobilenetV1Weights {
        pairs = List.copyOf(pairs);
        predictionConvs = List.copyOf(predictionConvs);
        boxPredictors = List.copyOf(boxPredictors);
    }

    /** Anchor i as {ymin, xmin, ymax, xmax}. */
    public float[] anchor(int i) {
        return new float[] {anchors[4 * i], anchors[4 * i + 1], anchors[4 * i + 2], anchors[4 * i + 3]};
    }

    public static SsdMobilenetV1Weights load(Path folder) throws TfjsFormatException {
        return from(TfjsWeights.read(folder.resolve(MANIFEST)));
    }

    public static SsdMobilenetV1Weights from(TfjsWeights weights) throws TfjsFormatException {
        WeightTaker w = new WeightTaker(weights, "SsdMobilenetv1");
        ConvWeights conv0 = pointwise(w, "MobilenetV1", 0, 3, 3, 32);
        List<ConvPairWeights> pairs = new ArrayList<>();
        int in = 32;
        for (int i = 1; i <= 13; i++) {
            String p = "MobilenetV1/Conv2d_" + i + "_depthwise";
            DepthwiseFilter filter = w.depthwise(p + "/depthwise_weights", 3, in);
            BatchNormWeights bn = new BatchNormWeights(p + "/BatchNorm", w.vector(p + "/BatchNorm/gamma", in),
                    w.vector(p + "/BatchNorm/beta", in), w.vector(p + "/BatchNorm/moving_mean", in),
                    w.vector(p + "/BatchNorm/moving_variance", in), BATCH_NORM_EPSILON);
            ConvWeights pw = pointwise(w, "MobilenetV1", i, 1, in, PAIR_OUT[i]);
            pairs.add(new ConvPairWeights(i, STRIDE_2.contains(i) ? 2 : 1, new DepthwiseBnWeights(filter, bn), pw));
            in = PAIR_OUT[i];
        }
        List<ConvWeights> prediction = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            prediction.add(pointwise(w, "Prediction", i, PRED_K[i], in, PRED_OUT[i]));
            in = PRED_OUT[i];
        }
        List<BoxPredictorWeights> predictors = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String p = "Prediction/BoxPredictor_" + i;
            ConvWeights box = w.conv(p + "/BoxEncodingPredictor", p + "/BoxEncodingPredictor/weights",
                    p + "/BoxEncodingPredictor/biases", 1, BOX_IN[i], 4 * BOX_ANCHORS[i]);
            ConvWeights cls = w.conv(p + "/ClassPredictor", p + "/ClassPredictor/weights", p + "/ClassPredictor/biases",
                    1, BOX_IN[i], CLASSES_PER_ANCHOR * BOX_ANCHORS[i]);
            predictors.add(new BoxPredictorWeights(i, BOX_ANCHORS[i], box, cls));
        }
        float[] anchors = w.take("Output/extra_dim", 1, NUM_ANCHORS, 4).values();
        w.refuseLeftovers(SsdMobilenetV1Weights::isGraphConstant);
        return new SsdMobilenetV1Weights(conv0, pairs, prediction, predictors, anchors);
    }

    /** {@code prefix/Conv2d_i_pointwise/weights} + {@code convolution_bn_offset}: conv + folded BN offset (relu6 follows). */
    private static ConvWeights pointwise(WeightTaker w, String prefix, int i, int k, int in, int out) throws TfjsFormatException {
        String p = prefix + "/Conv2d_" + i + "_pointwise";
        return w.conv(p, p + "/weights", p + "/convolution_bn_offset", k, in, out);
    }
}
