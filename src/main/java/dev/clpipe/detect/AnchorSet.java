package dev.clpipe.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * The anchor shapes of a YOLO head, in grid cells (darknet's {@code yolov2} convention: an anchor
 * of 1.0 is one cell wide) or in pixels of the network input (the {@code yolov3} convention).
 * {@link #inCells} and {@link #inPixels} convert given the cell size in pixels.
 */
public record AnchorSet(List<Anchor> anchors, Unit unit) {
    public enum Unit { CELLS, PIXELS }

    public AnchorSet {
        if (anchors == null || anchors.isEmpty()) {
            throw new IllegalArgumentException("an anchor set needs at least one anchor");
        }
        if (unit == null) {
            throw new IllegalArgumentException("anchor unit must be CELLS or PIXELS");
        }
        anchors = List.copyOf(anchors);
    }

    /** From flat pairs {@code w0, h0, w1, h1, ...} as written in darknet cfg files. */
    public static AnchorSet of(Unit unit, double... wh) {
        if (wh.length == 0 || wh.length % 2 != 0) {
            throw new IllegalArgumentException("anchors must be w,h pairs, got " + wh.length + " values");
        }
        List<Anchor> list = new ArrayList<>();
        for (int i = 0; i < wh.length; i += 2) {
            list.add(new Anchor(wh[i], wh[i + 1]));
        }
        return new AnchorSet(list, unit);
    }

    public int size() {
        return anchors.size();
    }

    public Anchor get(int i) {
        return anchors.get(i);
    }

    /** This set in grid cells, for cells of {@code cellW x cellH} pixels. */
    public AnchorSet inCells(double cellW, double cellH) {
        return unit == Unit.CELLS ? this : scaled(1 / cellW, 1 / cellH, Unit.CELLS);
    }

    /** This set in pixels, for cells of {@code cellW x cellH} pixels. */
    public AnchorSet inPixels(double cellW, double cellH) {
        return unit == Unit.PIXELS ? this : scaled(cellW, cellH, Unit.PIXELS);
    }

    /** Index of the anchor whose shape has the highest IoU with {@code w x h} (lowest index on ties). */
    public int bestShapeMatch(double w, double h) {
        int best = 0;
        double bestIou = -1;
        for (int i = 0; i < anchors.size(); i++) {
            double iou = anchors.get(i).shapeIou(w, h);
            if (iou > bestIou) {
                bestIou = iou;
                best = i;
            }
        }
        return best;
    }

    private AnchorSet scaled(double sx, double sy, Unit to) {
        if (!(sx > 0 && sy > 0)) {
            throw new IllegalArgumentException("cell size must be positive");
        }
        List<Anchor> list = new ArrayList<>();
        for (Anchor a : anchors) {
            list.add(new Anchor(a.w() * sx, a.h() * sy));
        }
        return new AnchorSet(list, to);
    }
}
