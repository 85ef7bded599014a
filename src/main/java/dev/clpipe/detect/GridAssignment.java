package dev.clpipe.detect;

/**
 * Where a ground-truth box goes in a YOLO grid, as the course describes: the cell that contains
 * the box's centre, and in that cell the anchor whose shape has the highest IoU with the box.
 *
 * @param row grid row (0 at the top)
 * @param col grid column (0 at the left)
 * @param anchor index into the anchor set
 * @param shapeIou IoU of the box shape with the chosen anchor's shape
 */
public record GridAssignment(int row, int col, int anchor, double shapeIou) {

    /**
     * @param box ground truth in pixels of an {@code imageW x imageH} image
     * @param gridW number of columns
     * @param gridH number of rows
     * @param anchors in cells or pixels (converted with cell size {@code imageW/gridW x imageH/gridH})
     */
    public static GridAssignment assign(Box box, double imageW, double imageH, int gridW, int gridH, AnchorSet anchors) {
        if (gridW <= 0 || gridH <= 0) {
            throw new IllegalArgumentException("grid must be at least 1x1, got " + gridW + "x" + gridH);
        }
        double cellW = imageW / gridW;
        double cellH = imageH / gridH;
        // a centre on the right or bottom image edge belongs to the last cell
        int col = Math.min(gridW - 1, Math.max(0, (int) Math.floor(box.centreX() / cellW)));
        int row = Math.min(gridH - 1, Math.max(0, (int) Math.floor(box.centreY() / cellH)));
        AnchorSet px = anchors.inPixels(cellW, cellH);
        int a = px.bestShapeMatch(box.width(), box.height());
        return new GridAssignment(row, col, a, px.get(a).shapeIou(box.width(), box.height()));
    }
}
