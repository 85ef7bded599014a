package dev.clpipe.nn.io;

import static dev.clpipe.nn.io.ReferenceLayers.resizeBilinear;
import static dev.clpipe.nn.io.ReferenceLayers.sigmoid;

import dev.clpipe.nn.io.ReferenceFaceNets.SsdOutput;
import dev.clpipe.nn.io.ReferenceLayers.Act;
import java.util.List;

/**
 * Input and output handling of the plain-Java face-api reference nets (docs §2, §3.4, §4.4, §6.5):
 * the golden test image, padding to a square, crops, and decoding the raw outputs into
 * detections, landmarks and the dlib alignment box. No resizing: max(h, w) = net size.
 */
final class ReferenceFaceIo {
    private ReferenceFaceIo() {}

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
}
