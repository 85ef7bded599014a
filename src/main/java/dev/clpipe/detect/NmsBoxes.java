package dev.clpipe.detect;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** NMS candidates in suppression order as primitive arrays: corners, areas, label ids. */
final class NmsBoxes {
    final int n;
    final double[] x1;
    final double[] y1;
    final double[] x2;
    final double[] y2;
    final double[] area;
    final int[] label;

    private NmsBoxes(int n) {
        this.n = n;
        x1 = new double[n];
        y1 = new double[n];
        x2 = new double[n];
        y2 = new double[n];
        area = new double[n];
        label = new int[n];
    }

    /** {@code order[i]} is the index into {@code detections} of the i-th candidate. */
    static NmsBoxes of(List<Detection> detections, Integer[] order, boolean classAgnostic) {
        NmsBoxes b = new NmsBoxes(order.length);
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < b.n; i++) {
            Detection d = detections.get(order[i]);
            Box box = d.box();
            b.x1[i] = box.x1();
            b.y1[i] = box.y1();
            b.x2[i] = box.x2();
            b.y2[i] = box.y2();
            b.area[i] = box.area();
            b.label[i] = classAgnostic ? 0 : ids.computeIfAbsent(d.label(), k -> ids.size());
        }
        return b;
    }

    /** Whether kept box {@code i} suppresses box {@code j}: same label group and IoU >= threshold. */
    boolean suppresses(int i, int j, double threshold) {
        if (label[i] != label[j]) {
            return false;
        }
        double w = Math.min(x2[i], x2[j]) - Math.max(x1[i], x1[j]);
        double h = Math.min(y2[i], y2[j]) - Math.max(y1[i], y1[j]);
        if (w <= 0 || h <= 0) {
            return false;
        }
        double inter = w * h;
        double union = area[i] + area[j] - inter;
        return union > 0 && inter / union >= threshold;
    }
}
