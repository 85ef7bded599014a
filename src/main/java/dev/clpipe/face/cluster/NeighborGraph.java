package dev.clpipe.face.cluster;

import dev.clpipe.face.search.Neighbors;
import java.util.Arrays;

/**
 * An undirected graph in compressed sparse rows: the symmetrised k-NN graph of a set of
 * embeddings, keeping the edges with distance strictly below a threshold (dlib's rule).
 * Edge i-j exists when j is among i's kept neighbours or i among j's.
 */
public final class NeighborGraph {
    private final int[] offsets;
    private final int[] targets;
    private final float[] distances;

    private NeighborGraph(int[] offsets, int[] targets, float[] distances) {
        this.offsets = offsets;
        this.targets = targets;
        this.distances = distances;
    }

    public static NeighborGraph fromNeighbors(Neighbors nb, double threshold) {
        int n = nb.rows();
        int[] degree = new int[n];
        long m = 0;
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < nb.count(i); r++) {
                if (nb.distance(i, r) < threshold) {
                    degree[i]++;
                    degree[nb.neighbor(i, r)]++;
                    m += 2;
                }
            }
        }
        if (m > Integer.MAX_VALUE - 8) throw new IllegalStateException("graph too large: " + m + " directed edges");
        int[] off = new int[n + 1];
        for (int i = 0; i < n; i++) off[i + 1] = off[i] + degree[i];
        int[] fill = Arrays.copyOf(off, n);
        long[] keys = new long[(int) m];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < nb.count(i); r++) {
                float d = nb.distance(i, r);
                if (d < threshold) {
                    int j = nb.neighbor(i, r);
                    keys[fill[i]++] = pack(j, d);
                    keys[fill[j]++] = pack(i, d);
                }
            }
        }
        // sort each row by target and drop the duplicates left by mutual neighbours
        int[] newOff = new int[n + 1];
        int w = 0;
        for (int i = 0; i < n; i++) {
            Arrays.sort(keys, off[i], off[i + 1]);
            newOff[i] = w;
            for (int e = off[i]; e < off[i + 1]; e++) {
                if (e > off[i] && (keys[e] >>> 32) == (keys[e - 1] >>> 32)) continue;
                keys[w++] = keys[e];
            }
        }
        newOff[n] = w;
        int[] t = new int[w];
        float[] dist = new float[w];
        for (int e = 0; e < w; e++) {
            t[e] = (int) (keys[e] >>> 32);
            dist[e] = Float.intBitsToFloat((int) keys[e]);
        }
        return new NeighborGraph(newOff, t, dist);
    }

    /** Builds a graph from explicit undirected edges (tests, small inputs). */
    public static NeighborGraph of(int n, int[][] edges, float[] distances) {
        int[] off = new int[n + 1];
        for (int[] e : edges) {
            off[e[0] + 1]++;
            off[e[1] + 1]++;
        }
        for (int i = 0; i < n; i++) off[i + 1] += off[i];
        int[] fill = Arrays.copyOf(off, n);
        int[] t = new int[off[n]];
        float[] d = new float[off[n]];
        for (int k = 0; k < edges.length; k++) {
            int a = edges[k][0];
            int b = edges[k][1];
            t[fill[a]] = b;
            d[fill[a]++] = distances[k];
            t[fill[b]] = a;
            d[fill[b]++] = distances[k];
        }
        return new NeighborGraph(off, t, d);
    }

    private static long pack(int target, float d) {
        return ((long) target << 32) | (Float.floatToIntBits(d) & 0xffffffffL);
    }

    public int nodes() {
        return offsets.length - 1;
    }

    public int degree(int i) {
        return offsets[i + 1] - offsets[i];
    }

    /** First edge slot of node i; edges of i are slots [start(i), start(i) + degree(i)). */
    public int start(int i) {
        return offsets[i];
    }

    public int target(int slot) {
        return targets[slot];
    }

    public float distance(int slot) {
        return distances[slot];
    }

    /** Number of undirected edges. */
    public long edges() {
        return targets.length / 2;
    }
}
