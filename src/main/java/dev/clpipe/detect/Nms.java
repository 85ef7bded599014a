package dev.clpipe.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Greedy non-max suppression, as in the course: drop boxes whose score is at or below the
 * threshold; then repeatedly keep the best remaining box and suppress the remaining boxes of the
 * same label (any label when class-agnostic) that overlap it with {@code IoU >= iouThreshold}.
 *
 * <p>Order is deterministic: by score descending, ties broken by label, then by the box corners
 * (x1, y1, x2, y2) ascending, then by input position. The result is in that order.
 *
 * <p>Fast path: the candidates are sorted once, copied into primitive arrays (corners, areas,
 * label ids) and suppressed with a flag array, so no list is rebuilt per kept box: O(n log n) for
 * the sort plus O(n * kept) IoU tests, which handles tens of thousands of boxes in milliseconds.
 */
public final class Nms {
    /** The deterministic order described above (input position is added by {@link #apply}). */
    public static final Comparator<Detection> ORDER = Comparator.comparingDouble(Detection::score).reversed()
            .thenComparing(Detection::label)
            .thenComparingDouble(d -> d.box().x1())
            .thenComparingDouble(d -> d.box().y1())
            .thenComparingDouble(d -> d.box().x2())
            .thenComparingDouble(d -> d.box().y2());

    private Nms() {
    }

    /** NMS with {@link NmsConfig#DEFAULT}: score &gt; 0.6, suppress IoU &gt;= 0.5, per label. */
    public static List<Detection> apply(List<Detection> detections) {
        return apply(detections, NmsConfig.DEFAULT);
    }

    public static List<Detection> apply(List<Detection> detections, NmsConfig config) {
        Integer[] order = candidates(detections, config.scoreThreshold());
        int n = order.length;
        double[] x1 = new double[n];
        double[] y1 = new double[n];
        double[] x2 = new double[n];
        double[] y2 = new double[n];
        double[] area = new double[n];
        int[] labelId = new int[n];
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Detection d = detections.get(order[i]);
            Box b = d.box();
            x1[i] = b.x1();
            y1[i] = b.y1();
            x2[i] = b.x2();
            y2[i] = b.y2();
            area[i] = b.area();
            labelId[i] = config.classAgnostic() ? 0 : ids.computeIfAbsent(d.label(), k -> ids.size());
        }
        boolean[] suppressed = new boolean[n];
        int limit = config.maxDetections() == 0 ? Integer.MAX_VALUE : config.maxDetections();
        double threshold = config.iouThreshold();
        List<Detection> kept = new ArrayList<>();
        for (int i = 0; i < n && kept.size() < limit; i++) {
            if (suppressed[i]) {
                continue;
            }
            kept.add(detections.get(order[i]));
            for (int j = i + 1; j < n; j++) {
                if (suppressed[j] || labelId[j] != labelId[i]) {
                    continue;
                }
                double w = Math.min(x2[i], x2[j]) - Math.max(x1[i], x1[j]);
                double h = Math.min(y2[i], y2[j]) - Math.max(y1[i], y1[j]);
                if (w <= 0 || h <= 0) {
                    continue;
                }
                double inter = w * h;
                double union = area[i] + area[j] - inter;
                if (union > 0 && inter / union >= threshold) {
                    suppressed[j] = true;
                }
            }
        }
        return List.copyOf(kept);
    }

    /** Indices of the detections with score above the threshold, in {@link #ORDER} then input order. */
    private static Integer[] candidates(List<Detection> detections, double scoreThreshold) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < detections.size(); i++) {
            if (detections.get(i).score() > scoreThreshold) {
                keep.add(i);
            }
        }
        Integer[] order = keep.toArray(new Integer[0]);
        Comparator<Integer> byDetection = Comparator.comparing(detections::get, ORDER);
        Arrays.sort(order, byDetection.thenComparingInt(i -> i));
        return order;
    }
}
