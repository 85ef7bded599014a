package dev.clpipe.detect;

/**
 * The memory layout of one image's YOLO head output (and of the target tensor the
 * {@link YoloEncoder} writes): a flat {@code float[]} of {@code gridH * gridW * anchors * (5 + classes)}
 * values ordered {@code [row][col][anchor][channel]} (channel fastest, "HWC" with anchors inside
 * the cell), channels in the course's order:
 *
 * <pre>
 *   0      pc   objectness logit            sigmoid            -> P(object)
 *   1      bx   centre x offset logit       sigmoid            -> 0..1 inside the cell
 *   2      by   centre y offset logit       sigmoid            -> 0..1 inside the cell
 *   3      bh   log height vs anchor        exp(t) * anchor.h  -> cells
 *   4      bw   log width vs anchor         exp(t) * anchor.w  -> cells
 *   5..    c_i  class logits                softmax or sigmoid (see {@link ClassActivation})
 * </pre>
 *
 * A batch is {@code batch} such blocks one after the other. Note h before w, as in the course's
 * {@code y = [pc, bx, by, bh, bw, c1, c2, c3]} (darknet itself stores x, y, w, h, obj, classes).
 */
public record YoloLayout(int gridH, int gridW, int anchors, int classes, ClassActivation classActivation) {
    public static final int PC = 0;
    public static final int BX = 1;
    public static final int BY = 2;
    public static final int BH = 3;
    public static final int BW = 4;
    public static final int CLASS0 = 5;

    /** How class scores are made from the class logits. */
    public enum ClassActivation {
        /** One class per box: probabilities sum to 1 (YOLOv2); loss is cross-entropy. */
        SOFTMAX,
        /** Independent per-class probabilities (YOLOv3, multi-label); loss is binary cross-entropy. */
        SIGMOID
    }

    public YoloLayout {
        if (gridH < 1 || gridW < 1) {
            throw new IllegalArgumentException("yolo grid must be at least 1x1, got " + gridH + "x" + gridW);
        }
        if (anchors < 1) {
            throw new IllegalArgumentException("yolo anchors must be >= 1, got " + anchors);
        }
        if (classes < 1) {
            throw new IllegalArgumentException("yolo classes must be >= 1, got " + classes);
        }
        if (classActivation == null) {
            throw new IllegalArgumentException("yolo class_activation must be softmax or sigmoid");
        }
    }

    /** Values per (cell, anchor): 5 + classes. */
    public int channels() {
        return CLASS0 + classes;
    }

    /** Values per image. */
    public int size() {
        return gridH * gridW * anchors * channels();
    }

    /** Index of the first channel of (row, col, anchor) within one image's block. */
    public int slot(int row, int col, int anchor) {
        return ((row * gridW + col) * anchors + anchor) * channels();
    }

    /** Number of (cell, anchor) slots per image. */
    public int slots() {
        return gridH * gridW * anchors;
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** Writes the class probabilities of the slot starting at {@code base} into {@code out}. */
    void classProbabilities(double[] raw, int base, double[] out) {
        int c0 = base + CLASS0;
        if (classActivation == ClassActivation.SIGMOID) {
            for (int c = 0; c < classes; c++) {
                out[c] = sigmoid(raw[c0 + c]);
            }
            return;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, raw[c0 + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            out[c] = Math.exp(raw[c0 + c] - max);
            sum += out[c];
        }
        for (int c = 0; c < classes; c++) {
            out[c] /= sum;
        }
    }
}
