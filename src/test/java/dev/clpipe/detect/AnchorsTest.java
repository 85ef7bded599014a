package dev.clpipe.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnchorsTest {
    private static final double EPS = 1e-12;

    @Test
    void shapeIouByHand() {
        // 2x4 and 4x2 on one centre: overlap 2x2 = 4, union 8 + 8 - 4 = 12
        assertEquals(4.0 / 12, Anchor.shapeIou(2, 4, 4, 2), EPS);
        // 1x1 inside 2x2: 1 / 4
        assertEquals(0.25, Anchor.shapeIou(1, 1, 2, 2), EPS);
        assertEquals(1, Anchor.shapeIou(3, 5, 3, 5), EPS);
    }

    @Test
    void unitsConvert() {
        AnchorSet cells = AnchorSet.of(AnchorSet.Unit.CELLS, 1, 2, 3.5, 0.5);
        AnchorSet px = cells.inPixels(32, 16);
        assertEquals(new Anchor(32, 32), px.get(0));
        assertEquals(new Anchor(112, 8), px.get(1));
        assertEquals(cells, px.inCells(32, 16));
        assertThrows(IllegalArgumentException.class, () -> AnchorSet.of(AnchorSet.Unit.CELLS, 1, 2, 3));
    }

    @Test
    void courseAssignmentCentreCellAndBestShapeAnchor() {
        // 3x3 grid on a 300x300 image, cells are 100 px. Anchor 0 tall (1 x 2 cells), anchor 1 wide (2 x 1).
        AnchorSet anchors = AnchorSet.of(AnchorSet.Unit.CELLS, 1, 2, 2, 1);
        // a pedestrian: centre (150, 250) -> column 1, row 2; 60x180 -> tall anchor
        // shape IoU with 100x200: 60*180 / (20000) = 0.54; with 200x100: 60*100 / (10800+20000-6000) = 0.2419
        GridAssignment p = GridAssignment.assign(Box.fromCentre(150, 250, 60, 180), 300, 300, 3, 3, anchors);
        assertEquals(new GridAssignment(2, 1, 0, 10800.0 / 20000), p);
        // a car in the same cell: 190x90 -> wide anchor
        GridAssignment c = GridAssignment.assign(Box.fromCentre(120, 230, 190, 90), 300, 300, 3, 3, anchors);
        assertEquals(2, c.row());
        assertEquals(1, c.col());
        assertEquals(1, c.anchor());
        // a centre on the right/bottom edge belongs to the last cell
        GridAssignment edge = GridAssignment.assign(new Box(200, 200, 300, 300), 250, 250, 5, 5, anchors);
        assertEquals(4, edge.row());
        assertEquals(4, edge.col());
    }

    @Test
    void kmeansFindsPlantedShapes() {
        Random rnd = new Random(3);
        double[][] planted = {{10, 10}, {40, 20}, {15, 60}};
        List<double[]> shapes = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            double[] p = planted[i % 3];
            shapes.add(new double[] {p[0] * (0.9 + 0.2 * rnd.nextDouble()), p[1] * (0.9 + 0.2 * rnd.nextDouble())});
        }
        AnchorKMeans.Result r = AnchorKMeans.fit(shapes, 3, AnchorSet.Unit.PIXELS, 42, 100);
        // sorted by area: 10x10 (100), 40x20 (800), 15x60 (900)
        assertEquals(10, r.anchors().get(0).w(), 0.5);
        assertEquals(40, r.anchors().get(1).w(), 1.5);
        assertEquals(60, r.anchors().get(2).h(), 2);
        assertTrue(r.meanIou() > 0.85, "mean IoU " + r.meanIou());
        assertEquals(r.meanIou(), AnchorKMeans.meanIou(shapes, r.anchors()), EPS);
        // reproducible from the seed
        assertEquals(r, AnchorKMeans.fit(shapes, 3, AnchorSet.Unit.PIXELS, 42, 100));
        // more anchors never cover worse than one
        assertTrue(AnchorKMeans.fit(shapes, 1, AnchorSet.Unit.PIXELS, 1, 100).meanIou() < r.meanIou());
        assertThrows(IllegalArgumentException.class, () -> AnchorKMeans.fit(shapes.subList(0, 2), 3, AnchorSet.Unit.PIXELS, 1, 10));
    }
}
