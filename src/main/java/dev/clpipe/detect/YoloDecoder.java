package dev.clpipe.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns raw YOLO head outputs (layout in {@link YoloLayout}) into {@link Detection}s in pixels.
 * For slot (row, col, anchor a) with raw values t:
 *
 * <pre>
 *   cx = (col + sigmoid(t_bx)) / gridW * imageW        cy = (row + sigmoid(t_by)) / gridH * imageH
 *   w  = anchor_a.w * exp(t_bw) / gridW * imageW       h  = anchor_a.h * exp(t_bh) / gridH * imageH
 *   score(class c) = sigmoid(t_pc) * p_c,  p = softmax or sigmoid of the class logits
 * </pre>
 *
 * Each slot yields at most one detection, for its best class, when that score is at least
 * {@code minScore}; boxes are clipped to the image. Run {@link Nms} afterwards.
 */
public final class YoloDecoder {
    private final YoloLayout layout;
    private final AnchorSet anchors;
    private final List<String> classNames;

    /**
     * @param anchors anchor shapes in grid cells ({@link AnchorSet#inCells} converts pixel anchors)
     * @param classNames one name per class, index = class channel
     */
    public YoloDecoder(YoloLayout layout, AnchorSet anchors, List<String> classNames) {
        if (anchors.unit() != AnchorSet.Unit.CELLS) {
            throw new IllegalArgumentException("decoder anchors must be in grid cells; convert with AnchorSet.inCells");
        }
        if (anchors.size() != layout.anchors()) {
            throw new IllegalArgumentException("layout has " + layout.anchors() + " anchors but " + anchors.size() + " were given");
        }
        if (classNames.size() != layout.classes()) {
            throw new IllegalArgumentException("layout has " + layout.classes() + " classes but " + classNames.size() + " names were given");
        }
        this.layout = layout;
        this.anchors = anchors;
        this.classNames = List.copyOf(classNames);
    }

    /** Decodes image {@code index} of a batch laid out back to back in {@code raw}. */
    public List<Detection> decode(float[] raw, int index, double imageW, double imageH, double minScore) {
        return decode(block(raw, index), imageW, imageH, minScore, false);
    }

    /** Decodes one image's block: one detection per slot, for its best class. */
    public List<Detection> decode(double[] raw, double imageW, double imageH, double minScore) {
        return decode(raw, imageW, imageH, minScore, false);
    }

    /**
     * As {@link #decode(float[], int, double, double, double)} but a slot yields a detection for
     * every class whose score reaches {@code minScore} (same box): what mAP evaluation wants, since
     * a second-best class can still be the right one (darknet's {@code validate} does the same).
     */
    public List<Detection> decodeEveryClass(float[] raw, int index, double imageW, double imageH, double minScore) {
        return decode(block(raw, index), imageW, imageH, minScore, true);
    }

    private double[] block(float[] raw, int index) {
        int n = layout.size();
        if (raw.length < (long) (index + 1) * n) {
            throw new IllegalArgumentException("head output has " + raw.length + " values, image " + index
                    + " needs up to " + (long) (index + 1) * n);
        }
        double[] block = new double[n];
        for (int i = 0; i < n; i++) {
            block[i] = raw[index * n + i];
        }
        return block;
    }

    private List<Detection> decode(double[] raw, double imageW, double imageH, double minScore, boolean everyClass) {
        if (raw.length != layout.size()) {
            throw new IllegalArgumentException("head output has " + raw.length + " values, layout needs " + layout.size());
        }
        double[] probs = new double[layout.classes()];
        List<Detection> out = new ArrayList<>();
        for (int row = 0; row < layout.gridH(); row++) {
            for (int col = 0; col < layout.gridW(); col++) {
                for (int a = 0; a < layout.anchors(); a++) {
                    int s = layout.slot(row, col, a);
                    double objectness = YoloLayout.sigmoid(raw[s + YoloLayout.PC]);
                    if (objectness < minScore) {
                        continue; // class probabilities are <= 1, so no class can reach minScore
                    }
                    layout.classProbabilities(raw, s, probs);
                    int best = 0;
                    for (int c = 1; c < probs.length; c++) {
                        if (probs[c] > probs[best]) {
                            best = c;
                        }
                    }
                    if (objectness * probs[best] < minScore) {
                        continue;
                    }
                    Anchor anchor = anchors.get(a);
                    double cx = (col + YoloLayout.sigmoid(raw[s + YoloLayout.BX])) / layout.gridW() * imageW;
                    double cy = (row + YoloLayout.sigmoid(raw[s + YoloLayout.BY])) / layout.gridH() * imageH;
                    double w = anchor.w() * Math.exp(raw[s + YoloLayout.BW]) / layout.gridW() * imageW;
                    double h = anchor.h() * Math.exp(raw[s + YoloLayout.BH]) / layout.gridH() * imageH;
                    Box box = Box.fromCentre(cx, cy, w, h).clip(imageW, imageH);
                    for (int c = 0; c < probs.length; c++) {
                        double score = objectness * probs[c];
                        if (c == best || everyClass && score >= minScore) {
                            out.add(new Detection(classNames.get(c), Math.min(1, Math.max(0, score)), box));
                        }
                    }
                }
            }
        }
        return out;
    }
}
