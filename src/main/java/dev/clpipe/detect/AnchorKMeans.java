package dev.clpipe.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Chooses anchors from a dataset's box shapes by k-means with the distance
 * {@code d = 1 - shapeIou(box, centroid)} (YOLOv2, section "Dimension Clusters"), so large boxes
 * do not dominate as they would with Euclidean distance. Seeding is k-means++ from a fixed seed,
 * so the result is reproducible; centroids are the mean width and height of their members; the
 * loop stops when no box changes cluster.
 */
public final class AnchorKMeans {
    /** The anchors (sorted by area, smallest first) and the mean best IoU of the boxes with them. */
    public record Result(AnchorSet anchors, double meanIou, int iterations) {
    }

    private AnchorKMeans() {
    }

    /**
     * @param shapes box shapes as {@code {w, h}} pairs, in the unit the anchors should have
     * @param k number of anchors
     * @param unit the unit of {@code shapes} (and so of the anchors)
     */
    public static Result fit(List<double[]> shapes, int k, AnchorSet.Unit unit, long seed, int maxIterations) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (shapes.size() < k) {
            throw new IllegalArgumentException("need at least k=" + k + " boxes, got " + shapes.size());
        }
        for (double[] s : shapes) {
            if (s.length != 2 || !(s[0] > 0 && s[1] > 0)) {
                throw new IllegalArgumentException("box shapes must be positive {w, h} pairs");
            }
        }
        double[][] centroids = seed(shapes, k, new Random(seed));
        int[] member = new int[shapes.size()];
        java.util.Arrays.fill(member, -1);
        int iter = 0;
        boolean changed = true;
        while (changed && iter < maxIterations) {
            iter++;
            changed = false;
            for (int i = 0; i < shapes.size(); i++) {
                int c = nearest(shapes.get(i), centroids);
                if (c != member[i]) {
                    member[i] = c;
                    changed = true;
                }
            }
            double[][] sum = new double[k][3];
            for (int i = 0; i < shapes.size(); i++) {
                sum[member[i]][0] += shapes.get(i)[0];
                sum[member[i]][1] += shapes.get(i)[1];
                sum[member[i]][2]++;
            }
            for (int c = 0; c < k; c++) {
                if (sum[c][2] > 0) { // an empty cluster keeps its centroid
                    centroids[c] = new double[] {sum[c][0] / sum[c][2], sum[c][1] / sum[c][2]};
                }
            }
        }
        List<Anchor> anchors = new ArrayList<>();
        for (double[] c : centroids) {
            anchors.add(new Anchor(c[0], c[1]));
        }
        anchors.sort(Comparator.comparingDouble((Anchor a) -> a.w() * a.h()).thenComparingDouble(Anchor::w));
        return new Result(new AnchorSet(anchors, unit), meanIou(shapes, centroids), iter);
    }

    /** Mean over boxes of the best shape-IoU with any anchor: how well a set covers a dataset. */
    public static double meanIou(List<double[]> shapes, AnchorSet anchors) {
        double[][] c = new double[anchors.size()][];
        for (int i = 0; i < c.length; i++) {
            c[i] = new double[] {anchors.get(i).w(), anchors.get(i).h()};
        }
        return meanIou(shapes, c);
    }

    private static double meanIou(List<double[]> shapes, double[][] centroids) {
        double total = 0;
        for (double[] s : shapes) {
            double[] c = centroids[nearest(s, centroids)];
            total += Anchor.shapeIou(s[0], s[1], c[0], c[1]);
        }
        return total / shapes.size();
    }

    private static int nearest(double[] s, double[][] centroids) {
        int best = 0;
        double bestIou = -1;
        for (int c = 0; c < centroids.length; c++) {
            double iou = Anchor.shapeIou(s[0], s[1], centroids[c][0], centroids[c][1]);
            if (iou > bestIou) {
                bestIou = iou;
                best = c;
            }
        }
        return best;
    }

    /** k-means++: each next centre drawn with probability proportional to its squared distance. */
    private static double[][] seed(List<double[]> shapes, int k, Random rnd) {
        double[][] centroids = new double[k][];
        centroids[0] = shapes.get(rnd.nextInt(shapes.size())).clone();
        double[] d2 = new double[shapes.size()];
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < shapes.size(); i++) {
                double[] s = shapes.get(i);
                double best = Double.POSITIVE_INFINITY;
                for (int j = 0; j < c; j++) {
                    best = Math.min(best, 1 - Anchor.shapeIou(s[0], s[1], centroids[j][0], centroids[j][1]));
                }
                d2[i] = best * best;
                total += d2[i];
            }
            int pick = 0;
            if (total > 0) {
                double r = rnd.nextDouble() * total;
                while (pick < shapes.size() - 1 && (r -= d2[pick]) > 0) {
                    pick++;
                }
            } else {
                pick = rnd.nextInt(shapes.size());
            }
            centroids[c] = shapes.get(pick).clone();
        }
        return centroids;
    }
}
