package dev.clpipe.face.cluster;

import java.util.Arrays;

/**
 * A flat clustering: one label per embedding, clusters numbered 0..clusters-1 in order of first
 * appearance, {@link #UNCLUSTERED} (-1) for noise (DBSCAN) and for faces left out.
 */
public record Clustering(int[] labels, int clusters) {
    public static final int UNCLUSTERED = -1;

    public Clustering {
        labels = labels.clone();
        for (int l : labels) {
            if (l < UNCLUSTERED || l >= clusters) throw new IllegalArgumentException("label " + l + " outside [-1, " + clusters + ")");
        }
    }

    /** Renumbers arbitrary labels (negative = unclustered) to 0..m-1 by first appearance. */
    public static Clustering relabel(int[] raw) {
        int[] out = new int[raw.length];
        java.util.HashMap<Integer, Integer> ids = new java.util.HashMap<>();
        for (int i = 0; i < raw.length; i++) {
            out[i] = raw[i] < 0 ? UNCLUSTERED : ids.computeIfAbsent(raw[i], x -> ids.size());
        }
        return new Clustering(out, ids.size());
    }

    public int size() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i];
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    public int unclustered() {
        int c = 0;
        for (int l : labels) if (l == UNCLUSTERED) c++;
        return c;
    }

    /** Members per cluster. */
    public int[] sizes() {
        int[] s = new int[clusters];
        for (int l : labels) if (l >= 0) s[l]++;
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Clustering c && c.clusters == clusters && Arrays.equals(c.labels, labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + clusters;
    }

    @Override
    public String toString() {
        return "Clustering[" + labels.length + " faces, " + clusters + " clusters, " + unclustered() + " unclustered]";
    }
}
