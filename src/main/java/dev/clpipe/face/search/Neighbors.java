package dev.clpipe.face.search;

/**
 * The result of a k-NN search: for each query row, up to k neighbours sorted by increasing
 * exact distance (ties by index), all within the search radius, and the number of base rows
 * found within the radius (which may exceed k: then the row is "truncated").
 */
public final class Neighbors {
    private final int k;
    private final int[] index;
    private final float[] distance;
    private final int[] count;
    private final int[] withinRadius;
    private final double radius;

    Neighbors(int k, int[] index, float[] distance, int[] count, int[] withinRadius, double radius) {
        this.k = k;
        this.index = index;
        this.distance = distance;
        this.count = count;
        this.withinRadius = withinRadius;
        this.radius = radius;
    }

    public int rows() {
        return count.length;
    }

    public int k() {
        return k;
    }

    public double radius() {
        return radius;
    }

    /** Number of neighbours kept for row i (at most k). */
    public int count(int i) {
        return count[i];
    }

    /** Base index of the r-th nearest neighbour of row i (r = 0 is the nearest). */
    public int neighbor(int i, int r) {
        if (r < 0 || r >= count[i]) throw new IndexOutOfBoundsException("neighbour " + r + " of row " + i + " (has " + count[i] + ")");
        return index[i * k + r];
    }

    /** Exact Euclidean distance to the r-th nearest neighbour of row i. */
    public float distance(int i, int r) {
        if (r < 0 || r >= count[i]) throw new IndexOutOfBoundsException("neighbour " + r + " of row " + i + " (has " + count[i] + ")");
        return distance[i * k + r];
    }

    /** Base rows within the radius (self excluded in a graph search), counted before truncation to k. */
    public int withinRadius(int i) {
        return withinRadius[i];
    }

    /** Rows that had more neighbours within the radius than k kept. */
    public int truncatedRows() {
        int t = 0;
        for (int i = 0; i < count.length; i++) if (withinRadius[i] > count[i]) t++;
        return t;
    }

    /** Total number of kept (row, neighbour) pairs. */
    public long edges() {
        long e = 0;
        for (int c : count) e += c;
        return e;
    }

    /** Fraction of {@code exact}'s (row, neighbour) pairs this result also holds (recall@k of an approximate search; 1 when exact has none). */
    public double recallAgainst(Neighbors exact) {
        if (exact.rows() != rows()) throw new IllegalArgumentException("recall of " + rows() + " rows against " + exact.rows());
        long hit = 0;
        long total = 0;
        java.util.Set<Integer> got = new java.util.HashSet<>();
        for (int i = 0; i < exact.rows(); i++) {
            got.clear();
            for (int r = 0; r < count(i); r++) got.add(neighbor(i, r));
            for (int r = 0; r < exact.count(i); r++) {
                total++;
                if (got.contains(exact.neighbor(i, r))) hit++;
            }
        }
        return total == 0 ? 1 : hit / (double) total;
    }
}
