package dev.clpipe.face.cluster;

/** Disjoint sets over 0..n-1; union keeps the smaller index as root, so every set's root is its first member. */
final class UnionFind {
    private final int[] parent;

    UnionFind(int n) {
        parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
    }

    int find(int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    void union(int a, int b) {
        int ra = find(a), rb = find(b);
        if (ra < rb) parent[rb] = ra;
        else if (rb < ra) parent[ra] = rb;
    }

    /** Set labels 0..m-1 in order of each set's first member. */
    int[] labels() {
        int n = parent.length;
        int[] out = new int[n], id = new int[n];
        java.util.Arrays.fill(id, -1);
        int next = 0;
        for (int i = 0; i < n; i++) {
            int r = find(i);
            if (id[r] < 0) id[r] = next++;
            out[i] = id[r];
        }
        return out;
    }
}
