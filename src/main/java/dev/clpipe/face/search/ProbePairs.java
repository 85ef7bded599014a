package dev.clpipe.face.search;

/**
 * The (face, cell) pairs of an IVF search, grouped by cell: every face is listed under each of
 * the {@code nprobe} cells it probes, so the faces scanning one cell sit together and can share
 * its candidates. Pairs [cellStart[c], cellStart[c + 1]) probe cell c; within a cell faces
 * ascend.
 */
record ProbePairs(int[] face, int[] cellStart) {
    /** @param probes [n][nprobe] the cells each face probes (< 0 = none) */
    static ProbePairs invert(int[] probes, int n, int nprobe, int cells) {
        int[] start = new int[cells + 1];
        for (int i = 0; i < n * nprobe; i++) if (probes[i] >= 0) start[probes[i] + 1]++;
        for (int c = 0; c < cells; c++) start[c + 1] += start[c];
        int[] fill = java.util.Arrays.copyOf(start, cells);
        int[] face = new int[start[cells]];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < nprobe; p++) {
                int c = probes[i * nprobe + p];
                if (c >= 0) face[fill[c]++] = i;
            }
        }
        return new ProbePairs(face, start);
    }

    int size() {
        return face.length;
    }

    /** The cell pair p belongs to (the last cell starting at or before p, so empty cells are skipped). */
    int cellOf(int p) {
        int lo = 0;
        int hi = cellStart.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (cellStart[mid] <= p) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}
