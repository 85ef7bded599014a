package dev.clpipe.face.search;

/**
 * One bounded max-heap per row, all in flat arrays: keeps the k smallest (distance, index)
 * pairs of each row. Ties are broken by index, so the kept set is a pure function of the
 * candidates offered, whatever their order (hence results do not depend on thread timing).
 */
final class TopKTable {
    final int k;
    final float[] dist;
    final int[] idx;
    final int[] size;

    TopKTable(int rows, int k) {
        this.k = k;
        this.dist = new float[Math.multiplyExact(rows, k)];
        this.idx = new int[rows * k];
        this.size = new int[rows];
    }

    /** The value a candidate must beat to enter a full row; +inf while the row is not full. */
    float bound(int row) {
        return size[row] < k ? Float.POSITIVE_INFINITY : dist[row * k];
    }

    void offer(int row, float d, int index) {
        int base = row * k;
        int n = size[row];
        if (n < k) {
            int c = n;
            while (c > 0) {
                int p = (c - 1) >>> 1;
                if (!less(dist[base + p], idx[base + p], d, index)) break;
                dist[base + c] = dist[base + p];
                idx[base + c] = idx[base + p];
                c = p;
            }
            dist[base + c] = d;
            idx[base + c] = index;
            size[row] = n + 1;
            return;
        }
        if (!less(d, index, dist[base], idx[base])) return;
        int c = 0;
        while (true) {
            int l = 2 * c + 1;
            if (l >= k) break;
            int r = l + 1;
            int big = (r < k && less(dist[base + l], idx[base + l], dist[base + r], idx[base + r])) ? r : l;
            if (!less(d, index, dist[base + big], idx[base + big])) break;
            dist[base + c] = dist[base + big];
            idx[base + c] = idx[base + big];
            c = big;
        }
        dist[base + c] = d;
        idx[base + c] = index;
    }

    static boolean less(float d1, int i1, float d2, int i2) {
        return d1 < d2 || (d1 == d2 && i1 < i2);
    }
}
