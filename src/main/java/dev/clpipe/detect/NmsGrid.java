package dev.clpipe.detect;

import java.util.Arrays;

/**
 * Greedy NMS with a uniform spatial grid: every candidate is listed in each grid cell its box
 * touches, and a kept box is tested only against the candidates listed in its own cells — boxes
 * that share no cell do not overlap, so they cannot reach an IoU threshold above 0. The cell side
 * is the mean box side, enlarged if needed to keep the grid at most about 4n cells. Same result
 * as the all-pairs scan in {@link Nms}, in about O(n * boxes per cell).
 */
final class NmsGrid {
    private static final int MAX_CELLS_PER_AXIS = 4096;

    private NmsGrid() {
    }

    static int[] suppress(NmsBoxes b, double threshold, int limit) {
        int n = b.n;
        if (n == 0) {
            return new int[0];
        }
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        double sumSide = 0;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, b.x1[i]);
            minY = Math.min(minY, b.y1[i]);
            maxX = Math.max(maxX, b.x2[i]);
            maxY = Math.max(maxY, b.y2[i]);
            sumSide += (b.x2[i] - b.x1[i]) + (b.y2[i] - b.y1[i]);
        }
        double extentW = maxX - minX;
        double extentH = maxY - minY;
        double side = Math.max(sumSide / (2.0 * n), Math.sqrt(extentW * extentH / (4.0 * n)));
        int cols = side > 0 ? (int) Math.min(MAX_CELLS_PER_AXIS, Math.max(1, Math.ceil(extentW / side))) : 1;
        int rows = side > 0 ? (int) Math.min(MAX_CELLS_PER_AXIS, Math.max(1, Math.ceil(extentH / side))) : 1;
        double cellW = extentW > 0 ? extentW / cols : 1;
        double cellH = extentH > 0 ? extentH / rows : 1;

        // cell -> candidate indices (ascending), as one array with offsets (counting sort)
        int[] c0 = new int[n];
        int[] c1 = new int[n];
        int[] r0 = new int[n];
        int[] r1 = new int[n];
        int[] start = new int[cols * rows + 1];
        for (int i = 0; i < n; i++) {
            c0[i] = cell(b.x1[i], minX, cellW, cols);
            c1[i] = cell(b.x2[i], minX, cellW, cols);
            r0[i] = cell(b.y1[i], minY, cellH, rows);
            r1[i] = cell(b.y2[i], minY, cellH, rows);
            for (int r = r0[i]; r <= r1[i]; r++) {
                for (int c = c0[i]; c <= c1[i]; c++) {
                    start[r * cols + c + 1]++;
                }
            }
        }
        for (int k = 1; k < start.length; k++) {
            start[k] += start[k - 1];
        }
        int[] fill = Arrays.copyOf(start, start.length - 1);
        int[] members = new int[start[start.length - 1]];
        for (int i = 0; i < n; i++) {
            for (int r = r0[i]; r <= r1[i]; r++) {
                for (int c = c0[i]; c <= c1[i]; c++) {
                    members[fill[r * cols + c]++] = i;
                }
            }
        }

        boolean[] suppressed = new boolean[n];
        int[] seenBy = new int[n]; // 1 + the kept box that last tested it, so a box in several shared cells is tested once
        int[] kept = new int[Math.min(n, limit)];
        int count = 0;
        for (int i = 0; i < n && count < limit; i++) {
            if (suppressed[i]) {
                continue;
            }
            kept[count++] = i;
            for (int r = r0[i]; r <= r1[i]; r++) {
                for (int c = c0[i]; c <= c1[i]; c++) {
                    int cellIndex = r * cols + c;
                    for (int k = start[cellIndex]; k < start[cellIndex + 1]; k++) {
                        int j = members[k];
                        if (j <= i || suppressed[j] || seenBy[j] == i + 1) {
                            continue;
                        }
                        seenBy[j] = i + 1;
                        if (b.suppresses(i, j, threshold)) {
                            suppressed[j] = true;
                        }
                    }
                }
            }
        }
        return Arrays.copyOf(kept, count);
    }

    private static int cell(double v, double min, double size, int count) {
        return (int) Math.min(count - 1, Math.max(0, Math.floor((v - min) / size)));
    }
}
