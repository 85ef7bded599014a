package dev.clpipe.face.search;

import java.util.Arrays;

/**
 * Candidate rows grouped by list and packed as {@code opencl/ann.cl} reads them: panels of 32
 * rows transposed to [D][32] (padding columns have id -1 and zeros), with each row's squared
 * norm in {@code panelNorms}, list l owning panels
 * [listPanel[l], listPanel[l + 1]). {@code order} lists the original row ids list by list and
 * {@code listRow} where each list starts in it, so callers can walk the points cell by cell.
 */
public record PackedLists(int dim, float[] panels, float[] panelNorms, int[] panelIds, int[] listPanel, int[] order, int[] listRow) {
    public static final int WIDTH = 32;

    public int lists() {
        return listPanel.length - 1;
    }

    /** One list holding rows 0..n-1 of a row-major matrix (e.g. the k-means centres). */
    public static PackedLists single(float[] rowMajor, int n, int dim) {
        return group(rowMajor, n, dim, new int[n], 1);
    }

    /** Groups rows 0..n-1 of {@code rowMajor} by {@code list[i]} in [0, lists), keeping their order within a list. */
    public static PackedLists group(float[] rowMajor, int n, int dim, int[] list, int lists) {
        if (dim <= 0) throw new IllegalArgumentException("dimension must be > 0, got " + dim);
        int[] listRow = new int[lists + 1];
        for (int i = 0; i < n; i++) listRow[list[i] + 1]++;
        int[] listPanel = new int[lists + 1];
        for (int l = 0; l < lists; l++) {
            listPanel[l + 1] = listPanel[l] + (listRow[l + 1] + WIDTH - 1) / WIDTH;
            listRow[l + 1] += listRow[l];
        }
        int[] fill = Arrays.copyOf(listRow, lists);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[fill[list[i]]++] = i;
        int panelCount = listPanel[lists];
        float[] panels = new float[Math.multiplyExact(Math.multiplyExact(panelCount, dim), WIDTH)];
        int[] ids = new int[panelCount * WIDTH];
        float[] norms = new float[panelCount * WIDTH];
        Arrays.fill(ids, -1);
        for (int l = 0; l < lists; l++) {
            for (int j = listRow[l]; j < listRow[l + 1]; j++) {
                int slot = listPanel[l] * WIDTH + (j - listRow[l]);
                int panel = slot / WIDTH;
                int col = slot % WIDTH;
                int src = order[j] * dim;
                ids[slot] = order[j];
                int dst = panel * dim * WIDTH + col;
                float sq = 0f;
                for (int t = 0; t < dim; t++) {
                    float v = rowMajor[src + t];
                    panels[dst + t * WIDTH] = v;
                    sq += v * v;
                }
                norms[slot] = sq;
            }
        }
        return new PackedLists(dim, panels, norms, ids, listPanel, order, listRow);
    }
}
