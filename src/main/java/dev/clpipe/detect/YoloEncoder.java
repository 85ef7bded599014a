package dev.clpipe.detect;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes ground truth into a YOLO target block (same {@link YoloLayout} as the head output). Each
 * box goes to the slot {@link GridAssignment} picks (centre cell, best-shape anchor), which gets
 *
 * <pre>
 *   pc = 1
 *   bx, by = centre offset inside the cell, 0..1   (compared with sigmoid(t_bx), sigmoid(t_by))
 *   bh = ln(h / anchor.h), bw = ln(w / anchor.w)   (compared with the raw t_bh, t_bw)
 *   c_i = 1 for the box's class, 0 otherwise
 * </pre>
 *
 * Every other slot is all zeros (pc = 0: "no object"). When two boxes claim the same slot the
 * first one keeps it and the later one is counted in {@link Target#collisions()}.
 */
public final class YoloEncoder {
    /** A target block and how many boxes could not be placed because their slot was taken. */
    public record Target(float[] values, int objects, int collisions) {
    }

    private final YoloLayout layout;
    private final AnchorSet anchors;
    private final Map<String, Integer> classIndex = new HashMap<>();

    public YoloEncoder(YoloLayout layout, AnchorSet anchorsInCells, List<String> classNames) {
        if (anchorsInCells.unit() != AnchorSet.Unit.CELLS || anchorsInCells.size() != layout.anchors()) {
            throw new IllegalArgumentException("encoder needs " + layout.anchors() + " anchors in grid cells");
        }
        if (classNames.size() != layout.classes()) {
            throw new IllegalArgumentException("layout has " + layout.classes() + " classes but " + classNames.size() + " names were given");
        }
        this.layout = layout;
        this.anchors = anchorsInCells;
        for (int i = 0; i < classNames.size(); i++) {
            classIndex.putIfAbsent(classNames.get(i), i);
        }
    }

    /** Encodes the boxes (pixels of an {@code imageW x imageH} image) of one image. */
    public YoloLayout layout() {
        return layout;
    }

    public Target encode(List<Annotation> objects, double imageW, double imageH) {
        float[] t = new float[layout.size()];
        double cellW = imageW / layout.gridW();
        double cellH = imageH / layout.gridH();
        int placed = 0;
        int collisions = 0;
        for (Annotation o : objects) {
            Integer cls = classIndex.get(o.label());
            if (cls == null) {
                throw new IllegalArgumentException("unknown class '" + o.label() + "'; known: " + classIndex.keySet());
            }
            Box b = o.box().clip(imageW, imageH);
            if (b.area() <= 0) {
                continue; // nothing to learn from a box outside the image
            }
            GridAssignment g = GridAssignment.assign(b, imageW, imageH, layout.gridW(), layout.gridH(), anchors);
            int s = layout.slot(g.row(), g.col(), g.anchor());
            if (t[s + YoloLayout.PC] != 0) {
                collisions++;
                continue;
            }
            Anchor a = anchors.get(g.anchor());
            t[s + YoloLayout.PC] = 1;
            t[s + YoloLayout.BX] = (float) (b.centreX() / cellW - g.col());
            t[s + YoloLayout.BY] = (float) (b.centreY() / cellH - g.row());
            t[s + YoloLayout.BH] = (float) Math.log(b.height() / cellH / a.h());
            t[s + YoloLayout.BW] = (float) Math.log(b.width() / cellW / a.w());
            t[s + YoloLayout.CLASS0 + cls] = 1;
            placed++;
        }
        return new Target(t, placed, collisions);
    }
}
