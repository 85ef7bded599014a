package dev.clpipe.nn.io;

import static dev.clpipe.nn.io.ReferenceLayers.add;
import static dev.clpipe.nn.io.ReferenceLayers.avgPoolValid;
import static dev.clpipe.nn.io.ReferenceLayers.conv;
import static dev.clpipe.nn.io.ReferenceLayers.dense;
import static dev.clpipe.nn.io.ReferenceLayers.depthwise;
import static dev.clpipe.nn.io.ReferenceLayers.leaky;
import static dev.clpipe.nn.io.ReferenceLayers.map;
import static dev.clpipe.nn.io.ReferenceLayers.maxPool;
import static dev.clpipe.nn.io.ReferenceLayers.normalize;
import static dev.clpipe.nn.io.ReferenceLayers.relu;
import static dev.clpipe.nn.io.ReferenceLayers.relu6;
import static dev.clpipe.nn.io.ReferenceLayers.separable;

import dev.clpipe.nn.io.ReferenceLayers.Act;

/**
 * Plain-Java forward passes of the four face-api networks, written from docs/face-models.md and
 * fed by the weight records of this package ({@link ReferenceLayers} for the layers,
 * {@link ReferenceFaceIo} for input and output). They exist to prove that document (and the
 * records) right against outputs face-api itself computed ({@code face-api-golden.json}); they
 * are slow, single-image, NHWC, accumulate in double, and are not the production path.
 */
final class ReferenceFaceNets {
    private ReferenceFaceNets() {}

    /** Raw conv8 output [G, G, 25] of the tiny face detector for an already square, net-sized image. */
    static Act tinyFaceDetector(TinyFaceDetectorWeights w, Act img) {
        Act x = normalize(img, TinyFaceDetectorWeights.meanRgb());
        x = leaky(conv(x, w.conv0().filter(), w.conv0().bias(), 1, false));
        for (int i = 0; i < 5; i++) {
            x = maxPool(x, 2, 2, true);
            x = leaky(separable(x, w.separable().get(i), 1, true)); // pad 1 + 'valid' == 'same' for 3x3 stride 1
        }
        x = maxPool(x, 2, 1, true);
        return conv(x, w.conv8().filter(), w.conv8().bias(), 1, false);
    }

    /** The 136 fc outputs of a landmark net for a 112x112 image (before postProcess). */
    static float[] landmarks(FaceLandmark68Weights w, Act img) {
        Act x = normalize(img, FaceLandmark68Weights.meanRgb());
        for (FaceLandmark68Weights.DenseBlockWeights b : w.blocks()) {
            Act out1 = b.conv0() instanceof ConvWeights c
                    ? conv(x, c.filter(), c.bias(), 2, true)
                    : separable(x, (SeparableConvWeights) b.conv0(), 2, true);
            out1 = relu(out1);
            Act sum = out1;
            for (SeparableConvWeights s : b.convs()) {
                Act next = separable(relu(sum), s, 1, true);
                sum = add(sum, next);
            }
            x = relu(sum);
        }
        x = avgPoolValid(x, x.h(), 2);
        return dense(x.v(), w.fc());
    }

    /** The 128-D descriptor for a 150x150 image. */
    static float[] recognition(FaceRecognitionWeights w, Act img) {
        Act x = normalize(img, FaceRecognitionWeights.meanRgb());
        x = relu(convLayer(x, w.conv32Down(), 2, false));
        x = maxPool(x, 3, 2, false);
        for (FaceRecognitionWeights.ResidualWeights r : w.residuals()) {
            Act out = convLayer(relu(convLayer(x, r.conv1(), r.down() ? 2 : 1, !r.down())), r.conv2(), 1, true);
            Act shortcut = r.down() ? avgPoolValid(x, 2, 2) : x;
            Act sum = new Act(shortcut.h(), shortcut.w(), out.c());
            for (int y = 0; y < sum.h(); y++)
                for (int xx = 0; xx < sum.w(); xx++)
                    for (int c = 0; c < sum.c(); c++) {
                        float o = y < out.h() && xx < out.w() ? out.at(y, xx, c) : 0; // zero row/column appended
                        float s = c < shortcut.c() ? shortcut.at(y, xx, c) : 0;        // zero channels appended
                        sum.v()[(y * sum.w() + xx) * sum.c() + c] = o + s;
                    }
            x = relu(sum);
        }
        float[] mean = new float[x.c()];
        for (int c = 0; c < x.c(); c++) {
            double acc = 0;
            for (int y = 0; y < x.h(); y++) for (int xx = 0; xx < x.w(); xx++) acc += x.at(y, xx, c);
            mean[c] = (float) (acc / (x.h() * x.w()));
        }
        return dense(mean, w.fc());
    }

    private static Act convLayer(Act x, FaceRecognitionWeights.ConvLayerWeights l, int stride, boolean same) {
        Act y = conv(x, l.conv().filter(), l.conv().bias(), stride, same);
        float[] s = l.scale().weights(), b = l.scale().biases();
        for (int i = 0; i < y.v().length; i++) y.v()[i] = y.v()[i] * s[i % y.c()] + b[i % y.c()];
        return y;
    }

    /** SSD output: boxes [5118][ymin, xmin, ymax, xmax] (relative to the 512 square) and face scores. */
    record SsdOutput(float[][] boxes, float[] scores) {}

    static SsdOutput ssd(SsdMobilenetV1Weights w, Act img) {
        Act x = map(img, v -> v / 127.5 - 1);
        x = relu6(conv(x, w.conv0().filter(), w.conv0().bias(), 2, true));
        Act conv11 = null;
        for (SsdMobilenetV1Weights.ConvPairWeights p : w.pairs()) {
            Act d = depthwise(x, p.depthwise().filter(), p.stride(), true);
            float[] s = p.depthwise().batchNorm().foldedScale(), t = p.depthwise().batchNorm().foldedShift();
            for (int i = 0; i < d.v().length; i++) d.v()[i] = d.v()[i] * s[i % d.c()] + t[i % d.c()];
            x = relu6(conv(relu6(d), p.pointwise().filter(), p.pointwise().bias(), 1, true));
            if (p.index() == 11) conv11 = x;
        }
        Act[] sources = new Act[6];
        sources[0] = conv11;
        sources[1] = x;
        Act y = x;
        for (int i = 0; i < 8; i++) {
            ConvWeights c = w.predictionConvs().get(i);
            y = relu6(conv(y, c.filter(), c.bias(), i % 2 == 1 ? 2 : 1, true));
            if (i % 2 == 1) sources[2 + i / 2] = y;
        }
        float[][] boxes = new float[SsdMobilenetV1Weights.NUM_ANCHORS][];
        float[] scores = new float[SsdMobilenetV1Weights.NUM_ANCHORS];
        int n = 0;
        for (int j = 0; j < 6; j++) {
            SsdMobilenetV1Weights.BoxPredictorWeights p = w.boxPredictors().get(j);
            Act enc = conv(sources[j], p.boxEncoding().filter(), p.boxEncoding().bias(), 1, true);
            Act cls = conv(sources[j], p.classes().filter(), p.classes().bias(), 1, true);
            int cells = enc.h() * enc.w();
            for (int cell = 0; cell < cells; cell++) {
                for (int a = 0; a < p.anchorsPerCell(); a++, n++) {
                    float[] e = new float[4];
                    for (int k = 0; k < 4; k++) e[k] = enc.v()[cell * enc.c() + a * 4 + k];
                    float[] an = w.anchor(n);
                    double ha = an[2] - an[0], wa = an[3] - an[1];
                    double yc = e[0] / 10.0 * ha + (an[0] + ha / 2), xc = e[1] / 10.0 * wa + (an[1] + wa / 2);
                    double h = Math.exp(e[2] / 5.0) * ha, wd = Math.exp(e[3] / 5.0) * wa;
                    boxes[n] = new float[] {(float) (yc - h / 2), (float) (xc - wd / 2), (float) (yc + h / 2), (float) (xc + wd / 2)};
                    float logit = cls.v()[cell * cls.c() + a * 3 + 1];
                    scores[n] = (float) (1 / (1 + Math.exp(-logit)));
                }
            }
        }
        if (n != SsdMobilenetV1Weights.NUM_ANCHORS) throw new IllegalStateException(n + " anchors");
        return new SsdOutput(boxes, scores);
    }
}
