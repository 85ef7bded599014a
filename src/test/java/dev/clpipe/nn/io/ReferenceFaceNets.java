package dev.clpipe.nn.io;

import java.util.List;

/**
 * Plain-Java forward passes of the four face-api networks, written from docs/face-models.md and
 * fed by the weight records of this package. They exist to prove that document (and the
 * records) right against outputs face-api itself computed ({@code face-api-golden.json}); they
 * are slow, single-image, NHWC, accumulate in double, and are not the production path.
 */
final class ReferenceFaceNets {
    private ReferenceFaceNets() {}

    /** One NHWC image without the batch axis: value (y, x, c) at {@code (y * w + x) * c + ch}. */
    record Act(int h, int w, int c, float[] v) {
        Act(int h, int w, int c) {
            this(h, w, c, new float[h * w * c]);
        }

        float at(int y, int x, int ch) {
            return v[(y * w + x) * c + ch];
        }
    }

    /** Output size and padding before, TensorFlow rules (docs §2). */
    static int[] same(int n, int k, int s) {
        int out = (n + s - 1) / s;
        int pad = Math.max(0, (out - 1) * s + k - n);
        return new int[] {out, pad / 2};
    }

    static int[] valid(int n, int k, int s) {
        return new int[] {(n - k + 1 + s - 1) / s, 0};
    }

    static int[] pad(boolean same, int n, int k, int s) {
        return same ? same(n, k, s) : valid(n, k, s);
    }

    static Act conv(Act x, ConvFilter f, float[] bias, int s, boolean same) {
        int[] ph = pad(same, x.h(), f.kh(), s), pw = pad(same, x.w(), f.kw(), s);
        Act y = new Act(ph[0], pw[0], f.out());
        double[] acc = new double[f.out()];
        float[] k = f.hwio();
        for (int oy = 0; oy < y.h(); oy++) {
            for (int ox = 0; ox < y.w(); ox++) {
                for (int o = 0; o < acc.length; o++) acc[o] = bias == null ? 0 : bias[o];
                for (int ky = 0; ky < f.kh(); ky++) {
                    int iy = oy * s - ph[1] + ky;
                    if (iy < 0 || iy >= x.h()) continue;
                    for (int kx = 0; kx < f.kw(); kx++) {
                        int ix = ox * s - pw[1] + kx;
                        if (ix < 0 || ix >= x.w()) continue;
                        int xBase = (iy * x.w() + ix) * x.c();
                        int kBase = (ky * f.kw() + kx) * f.in() * f.out();
                        for (int i = 0; i < f.in(); i++) {
                            double xv = x.v()[xBase + i];
                            int kRow = kBase + i * f.out();
                            for (int o = 0; o < acc.length; o++) acc[o] += xv * k[kRow + o];
                        }
                    }
                }
                int yBase = (oy * y.w() + ox) * y.c();
                for (int o = 0; o < acc.length; o++) y.v()[yBase + o] = (float) acc[o];
            }
        }
        return y;
    }

    static Act depthwise(Act x, DepthwiseFilter f, int s, boolean same) {
        int[] ph = pad(same, x.h(), f.kh(), s), pw = pad(same, x.w(), f.kw(), s);
        Act y = new Act(ph[0], pw[0], x.c());
        for (int oy = 0; oy < y.h(); oy++) {
            for (int ox = 0; ox < y.w(); ox++) {
                for (int c = 0; c < x.c(); c++) {
                    double acc = 0;
                    for (int ky = 0; ky < f.kh(); ky++) {
                        int iy = oy * s - ph[1] + ky;
                        if (iy < 0 || iy >= x.h()) continue;
                        for (int kx = 0; kx < f.kw(); kx++) {
                            int ix = ox * s - pw[1] + kx;
                            if (ix >= 0 && ix < x.w()) acc += (double) x.at(iy, ix, c) * f.at(ky, kx, c);
                        }
                    }
                    y.v()[(oy * y.w() + ox) * y.c() + c] = (float) acc;
                }
            }
        }
        return y;
    }

    static Act separable(Act x, SeparableConvWeights w, int s, boolean same) {
        return conv(depthwise(x, w.depthwise(), s, same), w.pointwise(), w.bias(), 1, true);
    }

    static Act maxPool(Act x, int k, int s, boolean same) {
        int[] ph = pad(same, x.h(), k, s), pw = pad(same, x.w(), k, s);
        Act y = new Act(ph[0], pw[0], x.c());
        for (int oy = 0; oy < y.h(); oy++)
            for (int ox = 0; ox < y.w(); ox++)
                for (int c = 0; c < x.c(); c++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++) {
                            int iy = oy * s - ph[1] + ky, ix = ox * s - pw[1] + kx;
                            if (iy >= 0 && iy < x.h() && ix >= 0 && ix < x.w()) m = Math.max(m, x.at(iy, ix, c));
                        }
                    y.v()[(oy * y.w() + ox) * y.c() + c] = m;
                }
        return y;
    }

    static Act avgPoolValid(Act x, int k, int s) {
        Act y = new Act(valid(x.h(), k, s)[0], valid(x.w(), k, s)[0], x.c());
        for (int oy = 0; oy < y.h(); oy++)
            for (int ox = 0; ox < y.w(); ox++)
                for (int c = 0; c < x.c(); c++) {
                    double acc = 0;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++) acc += x.at(oy * s + ky, ox * s + kx, c);
                    y.v()[(oy * y.w() + ox) * y.c() + c] = (float) (acc / (k * k));
                }
        return y;
    }

    static Act map(Act x, java.util.function.DoubleUnaryOperator f) {
        Act y = new Act(x.h(), x.w(), x.c());
        for (int i = 0; i < x.v().length; i++) y.v()[i] = (float) f.applyAsDouble(x.v()[i]);
        return y;
    }

    static Act add(Act... xs) {
        Act y = new Act(xs[0].h(), xs[0].w(), xs[0].c());
        for (Act x : xs) for (int i = 0; i < y.v().length; i++) y.v()[i] += x.v()[i];
        return y;
    }

    static Act relu(Act x) {
        return map(x, v -> Math.max(0, v));
    }

    static Act relu6(Act x) {
        return map(x, v -> Math.min(6, Math.max(0, v)));
    }

    static Act leaky(Act x) {
        return map(x, v -> v >= 0 ? v : TinyFaceDetectorWeights.LEAKY_SLOPE * v);
    }

    /** (x - mean) / 255 per channel (docs §3.2, §4.2, §5.2). */
    static Act normalize(Act img, float[] mean) {
        Act y = new Act(img.h(), img.w(), 3);
        for (int i = 0; i < y.v().length; i++) y.v()[i] = (img.v()[i] - mean[i % 3]) / 255f;
        return y;
    }

    // ---- networks ----

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

    static float[] dense(float[] x, DenseWeights d) {
        float[] y = new float[d.out()];
        for (int o = 0; o < d.out(); o++) {
            double acc = d.hasBias() ? d.bias()[o] : 0;
            for (int i = 0; i < d.in(); i++) acc += (double) x[i] * d.weights()[i * d.out() + o];
            y[o] = (float) acc;
        }
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

    /** The synthetic test image of make-golden.mjs: ((x * 37 + y * 91 + c * 53) ^ (x * y)) & 255. */
    static Act testImage(int size) {
        return testImage(size, size);
    }

    static Act testImage(int h, int w) {
        Act a = new Act(h, w, 3);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++) a.v()[(y * w + x) * 3 + c] = ((x * 37 + y * 91 + c * 53) ^ (x * y)) & 255;
        return a;
    }

    // ---- input and output handling (docs §2, §3.4, §4.4, §6.5); no resizing: max(h, w) = net size ----

    /** padToSquare with zeros: all after the image, or centred (round(diff / 2) after, the rest before). */
    static Act padToSquare(Act img, boolean centred) {
        int n = Math.max(img.h(), img.w()), diff = n - Math.min(img.h(), img.w());
        int before = centred ? diff - (int) Math.round(diff * 0.5) : 0;
        int top = img.h() < n ? before : 0, left = img.w() < n ? before : 0;
        Act y = new Act(n, n, img.c());
        for (int r = 0; r < img.h(); r++)
            System.arraycopy(img.v(), r * img.w() * img.c(), y.v(), ((r + top) * n + left) * img.c(), img.w() * img.c());
        return y;
    }

    /** A detection: score and box (x, y, w, h) relative to the original image. */
    record Detection(double score, double[] box) {}

    /** TinyYolov2Base.extractBoxes + detect: decode, threshold, NMS (IoU > 0.4 suppressed). */
    static List<Detection> decodeTiny(Act out, int imageH, int imageW, int inputSize, double scoreThreshold) {
        double scale = (double) inputSize / Math.max(imageH, imageW);
        double rw = Math.round(imageW * scale), rh = Math.round(imageH * scale);
        double cx = Math.max(rw, rh) / rw, cy = Math.max(rw, rh) / rh;
        int g = out.h();
        List<Detection> found = new java.util.ArrayList<>();
        for (int row = 0; row < g; row++)
            for (int col = 0; col < g; col++)
                for (int a = 0; a < TinyFaceDetectorWeights.NUM_ANCHORS; a++) {
                    int base = (row * g + col) * out.c() + a * TinyFaceDetectorWeights.BOX_ENCODING_SIZE;
                    double score = sigmoid(out.v()[base + 4]);
                    if (!(score > scoreThreshold)) continue;
                    TinyFaceDetectorWeights.Anchor anchor = TinyFaceDetectorWeights.ANCHORS.get(a);
                    double ctrX = (col + sigmoid(out.v()[base])) / g * cx;
                    double ctrY = (row + sigmoid(out.v()[base + 1])) / g * cy;
                    double w = Math.exp(out.v()[base + 2]) * anchor.width() / g * cx;
                    double h = Math.exp(out.v()[base + 3]) * anchor.height() / g * cy;
                    found.add(new Detection(score, new double[] {ctrX - w / 2, ctrY - h / 2, w, h}));
                }
        found.sort((p, q) -> Double.compare(q.score(), p.score()));
        List<Detection> kept = new java.util.ArrayList<>();
        boolean[] gone = new boolean[found.size()];
        for (int i = 0; i < found.size(); i++) {
            if (gone[i]) continue;
            kept.add(found.get(i));
            for (int j = i + 1; j < found.size(); j++) if (iou(found.get(i).box(), found.get(j).box()) > TinyFaceDetectorWeights.IOU_THRESHOLD) gone[j] = true;
        }
        return kept;
    }

    /** IoU of two (x, y, w, h) boxes. */
    static double iou(double[] a, double[] b) {
        double w = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
        double h = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
        double inter = w * h;
        return inter / (a[2] * a[3] + b[2] * b[3] - inter);
    }

    /** SsdMobilenetv1.locateFaces: threshold, greedy NMS (IoU > 0.5), clip to the square, undo padding. */
    static List<Detection> selectSsd(SsdOutput out, int imageH, int imageW, double minConfidence, int maxResults) {
        Integer[] order = new Integer[out.scores().length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (p, q) -> Float.compare(out.scores()[q], out.scores()[p]));
        List<Integer> selected = new java.util.ArrayList<>();
        for (int i : order) {
            if (!(out.scores()[i] > minConfidence) || selected.size() >= maxResults) break;
            boolean keep = true;
            for (int j : selected) if (iouCorners(out.boxes()[i], out.boxes()[j]) > SsdMobilenetV1Weights.IOU_THRESHOLD) keep = false;
            if (keep) selected.add(i);
        }
        double scale = (double) SsdMobilenetV1Weights.INPUT_SIZE / Math.max(imageH, imageW);
        double padX = SsdMobilenetV1Weights.INPUT_SIZE / (double) Math.round(imageW * scale);
        double padY = SsdMobilenetV1Weights.INPUT_SIZE / (double) Math.round(imageH * scale);
        List<Detection> result = new java.util.ArrayList<>();
        for (int i : selected) {
            float[] b = out.boxes()[i];
            double top = Math.max(0, b[0]) * padY, bottom = Math.min(1, b[2]) * padY;
            double left = Math.max(0, b[1]) * padX, right = Math.min(1, b[3]) * padX;
            result.add(new Detection(out.scores()[i], new double[] {left, top, right - left, bottom - top}));
        }
        return result;
    }

    /** IoU of two [ymin, xmin, ymax, xmax] boxes, corners ordered first; 0 for an empty box. */
    static double iouCorners(float[] a, float[] b) {
        double ay0 = Math.min(a[0], a[2]), ax0 = Math.min(a[1], a[3]), ay1 = Math.max(a[0], a[2]), ax1 = Math.max(a[1], a[3]);
        double by0 = Math.min(b[0], b[2]), bx0 = Math.min(b[1], b[3]), by1 = Math.max(b[0], b[2]), bx1 = Math.max(b[1], b[3]);
        double areaA = (ay1 - ay0) * (ax1 - ax0), areaB = (by1 - by0) * (bx1 - bx0);
        if (areaA <= 0 || areaB <= 0) return 0;
        double inter = Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0)) * Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0));
        return inter / (areaA + areaB - inter);
    }

    /** FaceLandmark68NetBase.postProcess: fc outputs to (x, y) pairs relative to a w x h crop. */
    static float[] landmarkPositions(float[] out, int cropH, int cropW) {
        int size = FaceLandmark68Weights.INPUT_SIZE;
        double s = (double) size / Math.max(cropH, cropW), w = cropW * s, h = cropH * s;
        double padX = w < h ? (h - w) / 2 : 0, padY = h < w ? (w - h) / 2 : 0;
        float[] rel = new float[out.length];
        for (int i = 0; i < out.length; i += 2) {
            rel[i] = (float) ((out[i] * size - padX) / w);
            rel[i + 1] = (float) ((out[i + 1] * size - padY) / h);
        }
        return rel;
    }

    /** tf.image.resizeBilinear(alignCorners=false, halfPixelCenters=false): src = dst * in / out. */
    static Act resizeBilinear(Act x, int outH, int outW) {
        if (x.h() == outH && x.w() == outW) return x;
        Act y = new Act(outH, outW, x.c());
        double ry = (double) x.h() / outH, rx = (double) x.w() / outW;
        for (int r = 0; r < outH; r++) {
            double fy = r * ry;
            int y0 = (int) Math.floor(fy), y1 = Math.min(x.h() - 1, (int) Math.ceil(fy));
            double dy = fy - y0;
            for (int col = 0; col < outW; col++) {
                double fx = col * rx;
                int x0 = (int) Math.floor(fx), x1 = Math.min(x.w() - 1, (int) Math.ceil(fx));
                double dx = fx - x0;
                for (int c = 0; c < x.c(); c++) {
                    double top = x.at(y0, x0, c) + (x.at(y0, x1, c) - x.at(y0, x0, c)) * dx;
                    double bottom = x.at(y1, x0, c) + (x.at(y1, x1, c) - x.at(y1, x0, c)) * dx;
                    y.v()[(r * outW + col) * x.c() + c] = (float) (top + (bottom - top) * dy);
                }
            }
        }
        return y;
    }

    /** NetInput.toBatchTensor for a tensor input: pad to square, then resize to size x size. */
    static Act netInput(Act img, int size, boolean centred) {
        return resizeBilinear(padToSquare(img, centred), size, size);
    }

    /** extractFaceTensors: clip the pixel box (x, y, w, h) to the image, floor, slice. Null when empty. */
    static Act crop(Act img, double[] box) {
        double x = Math.max(box[0], 0), y = Math.max(box[1], 0);
        double w = Math.min(box[0] + box[2] - x, img.w() - x), h = Math.min(box[1] + box[3] - y, img.h() - y);
        int cx = (int) Math.floor(x), cy = (int) Math.floor(y), cw = (int) Math.floor(w), ch = (int) Math.floor(h);
        if (cw <= 0 || ch <= 0) return null;
        Act out = new Act(ch, cw, img.c());
        for (int r = 0; r < ch; r++)
            System.arraycopy(img.v(), ((cy + r) * img.w() + cx) * img.c(), out.v(), r * cw * img.c(), cw * img.c());
        return out;
    }

    /** FaceLandmarks.alignDlib on image-pixel landmarks; {@code cropW/H} are the landmark crop's size (face-api's imageWidth/Height). */
    static double[] dlibRect(float[] points, int cropW, int cropH) {
        double[][] centres = {centre(points, 36, 42), centre(points, 42, 48), centre(points, 48, 68)};
        double[] mouth = centres[2];
        double eyeToMouth = (Math.hypot(mouth[0] - centres[0][0], mouth[1] - centres[0][1])
                + Math.hypot(mouth[0] - centres[1][0], mouth[1] - centres[1][1])) / 2;
        double size = Math.floor(eyeToMouth / 0.45);
        double refX = (centres[0][0] + centres[1][0] + centres[2][0]) / 3, refY = (centres[0][1] + centres[1][1] + centres[2][1]) / 3;
        double x = Math.floor(Math.max(0, refX - 0.5 * size)), y = Math.floor(Math.max(0, refY - 0.43 * size));
        return new double[] {x, y, Math.min(size, cropW + x), Math.min(size, cropH + y)};
    }

    private static double[] centre(float[] points, int from, int to) {
        double sx = 0, sy = 0;
        for (int i = from; i < to; i++) {
            sx += points[2 * i];
            sy += points[2 * i + 1];
        }
        return new double[] {sx / (to - from), sy / (to - from)};
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static List<Integer> shapeOf(Act a) {
        return List.of(1, a.h(), a.w(), a.c());
    }
}
