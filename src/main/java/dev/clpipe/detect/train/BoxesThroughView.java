package dev.clpipe.detect.train;

import dev.clpipe.detect.Annotation;
import dev.clpipe.detect.Box;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves a sample's boxes along with its pixels through an augmentation plan's geometry
 * ({@code BatchParams.sourceAffine}: output pixel (x, y) samples source pixel (A x + B y + C,
 * D x + E y + F)). The box's four corners go through the inverse map; the result is their bounding
 * box (exact for mirror, crop, scale and translation; a loose box after rotation or shear) clipped
 * to the output. A box keeping less than {@link #MIN_VISIBLE} of its area inside, or less than a
 * pixel in width or height, is dropped: the crop cut its object away.
 */
final class BoxesThroughView {
    static final double MIN_VISIBLE = 0.25;

    private BoxesThroughView() {
    }

    static List<Annotation> move(List<Annotation> objects, double[] m, int outWidth, int outHeight) {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5];
        double det = a * e - b * d;
        if (det == 0) return List.of();
        List<Annotation> out = new ArrayList<>(objects.size());
        for (Annotation o : objects) {
            Box box = o.box();
            double x1 = Double.POSITIVE_INFINITY, y1 = Double.POSITIVE_INFINITY, x2 = Double.NEGATIVE_INFINITY, y2 = Double.NEGATIVE_INFINITY;
            for (double[] corner : new double[][] {{box.x1(), box.y1()}, {box.x2(), box.y1()}, {box.x1(), box.y2()}, {box.x2(), box.y2()}}) {
                // continuous source point -> source pixel index -> output pixel index -> continuous output point
                double sx = corner[0] - 0.5 - c, sy = corner[1] - 0.5 - f;
                double ux = (e * sx - b * sy) / det + 0.5, uy = (-d * sx + a * sy) / det + 0.5;
                x1 = Math.min(x1, ux);
                y1 = Math.min(y1, uy);
                x2 = Math.max(x2, ux);
                y2 = Math.max(y2, uy);
            }
            Box moved = new Box(x1, y1, x2, y2);
            Box kept = moved.clip(outWidth, outHeight);
            if (kept.width() < 1 || kept.height() < 1 || kept.area() < MIN_VISIBLE * moved.area()) continue;
            out.add(new Annotation(o.label(), kept, o.ignore(), o.crowd()));
        }
        return out;
    }
}
