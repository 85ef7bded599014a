package dev.clpipe.style;

import dev.clpipe.nn.io.BatchNormWeights;
import dev.clpipe.nn.io.ConvWeights;
import dev.clpipe.nn.io.SeparableConvWeights;
import dev.clpipe.nn.io.SsdMobilenetV1Weights;
import dev.clpipe.nn.io.TinyFaceDetectorWeights;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.Conv2dShape;
import dev.clpipe.nn.ops.PoolWindow;
import dev.clpipe.nn.ops.StyleOps;
import java.util.ArrayList;
import java.util.List;

/**
 * Backprop-capable feature chains of the face-api networks (docs/face-models.md), up to their
 * last backbone layer. Layer names: {@code convI} is the activation after block I; its parts are
 * {@code convI/conv} (full conv), {@code convI/dw}, {@code convI/dw_relu} (depthwise),
 * {@code convI/pw} (pointwise, before the activation); pools are {@code poolI}.
 */
public final class FeatureNets {
    public static final List<String> NETWORKS = List.of("ssd_mobilenetv1", "tiny_face_detector");

    private FeatureNets() {}

    /** Layer names of a network in chain order, for checking a config before any device work. */
    public static List<String> layerNames(String network) {
        List<String> names = new ArrayList<>(List.of("conv0/conv", "conv0"));
        switch (network) {
            case "ssd_mobilenetv1" -> {
                for (int i = 1; i <= 13; i++) names.addAll(List.of("conv" + i + "/dw", "conv" + i + "/dw_relu", "conv" + i + "/pw", "conv" + i));
            }
            case "tiny_face_detector" -> {
                for (int i = 1; i <= 5; i++) names.addAll(List.of("pool" + (i - 1), "conv" + i + "/dw", "conv" + i + "/pw", "conv" + i));
            }
            default -> throw new IllegalArgumentException("unknown feature network '" + network + "' (networks: " + String.join(", ", NETWORKS) + ")");
        }
        return names;
    }

    /** Loads the weights of {@code network} from the face-api folder and builds its chain for height x width. */
    public static FeatureChain load(String network, java.nio.file.Path models, StyleOps ops, int height, int width) throws dev.clpipe.nn.io.TfjsFormatException {
        return switch (network) {
            case "ssd_mobilenetv1" -> ssdMobilenetV1(ops, SsdMobilenetV1Weights.load(models), height, width);
            case "tiny_face_detector" -> tinyFaceDetector(ops, TinyFaceDetectorWeights.load(models), height, width);
            default -> throw new IllegalArgumentException("unknown feature network '" + network + "' (networks: " + String.join(", ", NETWORKS) + ")");
        };
    }

    /**
     * SSD MobileNet v1 backbone: conv0 3x3 stride 2, then 13 depthwise (+ batch norm, folded into
     * the filter and a bias here) / pointwise pairs, relu6 after each conv, all 'same'. Input
     * {@code x / 127.5 - 1}.
     */
    public static FeatureChain ssdMobilenetV1(StyleOps ops, SsdMobilenetV1Weights weights, int height, int width) {
        List<FeatureStep> steps = new ArrayList<>();
        try {
            int[] shape = {height, width, 3};
            shape = conv(ops, steps, "conv0/conv", shape, weights.conv0(), 2);
            steps.add(new ActivationStep(ops.context(), "conv0", shape, Activation.Kind.RELU6, 0f));
            for (SsdMobilenetV1Weights.ConvPairWeights pair : weights.pairs()) {
                String p = "conv" + pair.index();
                int c = shape[2];
                BatchNormWeights bn = pair.depthwise().batchNorm();
                float[] s = bn.foldedScale();
                float[] filter = pair.depthwise().filter().hwc().clone(); // [3][3][1][C]: HWIO of a grouped conv
                for (int i = 0; i < filter.length; i++) filter[i] *= s[i % c];
                Conv2dShape dw = Conv2dShape.input(1, shape[0], shape[1], c).output(c).kernel(3).stride(pair.stride()).groups(c).same().build();
                steps.add(new ConvStep(ops.context(), p + "/dw", dw, filter, bn.foldedShift()));
                shape = new int[] {dw.outHeight(), dw.outWidth(), c};
                steps.add(new ActivationStep(ops.context(), p + "/dw_relu", shape, Activation.Kind.RELU6, 0f));
                shape = conv(ops, steps, p + "/pw", shape, pair.pointwise(), 1);
                steps.add(new ActivationStep(ops.context(), p, shape, Activation.Kind.RELU6, 0f));
            }
            return new FeatureChain("ssd_mobilenetv1", ops, height, width, 1 / 127.5f, new float[] {-1, -1, -1}, steps);
        } catch (RuntimeException e) {
            steps.forEach(FeatureStep::close);
            throw e;
        }
    }

    /**
     * Tiny face detector backbone: conv0 3x3, then separable conv1..conv5 (depthwise 3x3 padded 1,
     * pointwise 1x1 + bias), leaky relu 0.1 after each, 2x2 max pools between. Input
     * {@code (x - meanRgb) / 255}. Unlike the detector, conv0 pads by 1 ('same') so that every
     * pool sees an even size for images whose sides are multiples of 32 (feature extraction needs
     * no grid alignment).
     */
    public static FeatureChain tinyFaceDetector(StyleOps ops, TinyFaceDetectorWeights weights, int height, int width) {
        List<FeatureStep> steps = new ArrayList<>();
        try {
            int[] shape = {height, width, 3};
            shape = conv(ops, steps, "conv0/conv", shape, weights.conv0(), 1);
            steps.add(new ActivationStep(ops.context(), "conv0", shape, Activation.Kind.LEAKY_RELU, TinyFaceDetectorWeights.LEAKY_SLOPE));
            int i = 1;
            for (SeparableConvWeights sep : weights.separable()) {
                PoolWindow window = PoolWindow.of(2, 2, 0);
                steps.add(new MaxPoolStep(ops.context(), "pool" + (i - 1), shape, window));
                shape = new int[] {window.outH(shape[0]), window.outW(shape[1]), shape[2]};
                String p = "conv" + i;
                int c = shape[2];
                Conv2dShape dw = Conv2dShape.input(1, shape[0], shape[1], c).output(c).kernel(3).groups(c).padding(1).build();
                steps.add(new ConvStep(ops.context(), p + "/dw", dw, sep.depthwise().hwc(), null));
                Conv2dShape pw = Conv2dShape.input(1, shape[0], shape[1], c).output(sep.outChannels()).kernel(1).build();
                steps.add(new ConvStep(ops.context(), p + "/pw", pw, sep.pointwise().hwio(), sep.bias()));
                shape = new int[] {shape[0], shape[1], sep.outChannels()};
                steps.add(new ActivationStep(ops.context(), p, shape, Activation.Kind.LEAKY_RELU, TinyFaceDetectorWeights.LEAKY_SLOPE));
                i++;
            }
            float[] mean = TinyFaceDetectorWeights.meanRgb();
            float[] shift = {-mean[0] / 255f, -mean[1] / 255f, -mean[2] / 255f};
            return new FeatureChain("tiny_face_detector", ops, height, width, 1 / 255f, shift, steps);
        } catch (RuntimeException e) {
            steps.forEach(FeatureStep::close);
            throw e;
        }
    }

    /** A full 'same' conv with bias; returns the output shape. */
    private static int[] conv(StyleOps ops, List<FeatureStep> steps, String name, int[] in, ConvWeights w, int stride) {
        int k = w.filter().kh();
        Conv2dShape shape = Conv2dShape.input(1, in[0], in[1], in[2]).output(w.outChannels()).kernel(k).stride(stride).same().build();
        steps.add(new ConvStep(ops.context(), name, shape, w.filter().hwio(), w.bias()));
        return new int[] {shape.outHeight(), shape.outWidth(), shape.outChannels()};
    }
}
