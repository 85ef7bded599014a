package dev.clpipe.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy non-max suppression, as in the course: drop boxes whose score is at or below the
 * threshold; then repeatedly keep the best remaining box and suppress the remaining boxes of the
 * same label (any label when class-agnostic) that overlap it with {@code IoU >= iouThreshold}.
 *
 * <p>Order is deterministic: by score descending, ties broken by label, then by the box corners
 * (x1, y1, x2, y2) ascending, then by input position. The result is in that order.
 *
 * <p>Fast path: the candidates are sorted once, copied into primitive arrays (corners, areas,
 * label ids) and suppressed with a flag array, so no list is rebuilt per kept box. Up to
 * {@link #GRID_FROM} candidates each kept box is tested against every later one (O(n * kept));
 * from there a uniform spatial grid ({@link NmsGrid}) limits the tests to boxes sharing a cell,
 * so 20,000 scattered boxes take milliseconds instead of seconds. Both give the same result.
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
        return apply(detections, config, GRID_FROM);
    }

    /** Candidate count from which suppression goes through {@link NmsGrid} instead of the all-pairs scan. */
    static final int GRID_FROM = 2048;

    /** As {@link #apply(List, NmsConfig)}, choosing the spatial grid from {@code gridFrom} candidates on (tests force either path). */
    static List<Detection> apply(List<Detection> detections, NmsConfig config, int gridFrom) {
        Integer[] order = candidates(detections, config.scoreThreshold());
        NmsBoxes boxes = NmsBoxes.of(detections, order, config.classAgnostic());
        int limit = config.maxDetections() == 0 ? Integer.MAX_VALUE : config.maxDetections();
        int[] kept = boxes.n >= gridFrom
                ? NmsGrid.suppress(boxes, config.iouThreshold(), limit)
                : suppressAllPairs(boxes, config.iouThreshold(), limit);
        List<Detection> out = new ArrayList<>(kept.length);
        for (int i : kept) {
            out.add(detections.get(order[i]));
        }
        return List.copyOf(out);
    }

    /** Greedy suppression comparing each kept box with every later candidate: O(n * kept). */
    static int[] suppressAllPairs(NmsBoxes b, double threshold, int limit) {
        boolean[] suppressed = new boolean[b.n];
        int[] kept = new int[Math.min(b.n, limit)];
        int count = 0;
        for (int i = 0; i < b.n && count < limit; i++) {
            if (suppressed[i]) {
                continue;
            }
            kept[count++] = i;
            for (int j = i + 1; j < b.n; j++) {
                if (!suppressed[j] && b.suppresses(i, j, threshold)) {
                    suppressed[j] = true;
                }
            }
        }
        return java.util.Arrays.copyOf(kept, count);
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
