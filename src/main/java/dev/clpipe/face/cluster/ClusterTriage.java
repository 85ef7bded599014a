package dev.clpipe.face.cluster;

import dev.clpipe.face.search.Embeddings;
import java.util.Arrays;

/**
 * What a user needs to check a clustering by eye: each cluster's centre (mean descriptor), each
 * face's distance to its own centre, each cluster's cohesion (mean of those distances; the loosest
 * clusters are the suspicious ones), outliers, and each cluster's nearest other cluster with the
 * distance between the centres. A face is an outlier when it lies nearer another cluster's centre
 * than its own, or (clusters of 3 and more) further from its centre than the cluster's median
 * distance plus 3 median absolute deviations and more than half the clustering threshold.
 * A merge is suggested when two centres are closer than {@code mergeBelow} (a person split in two
 * has centres closer than two photos of one person usually are). Nearest centres come from the
 * blocked k-NN search: O(n c d) multiply-adds for c clusters, through the GEMM kernel.
 */
public final class ClusterTriage {
    private final double[] centreDistance;
    private final boolean[] outlier;
    private final double[] cohesion;
    private final int[] nearest;
    private final double[] nearestDistance;
    private final double mergeBelow;

    private ClusterTriage(double[] centreDistance, boolean[] outlier, double[] cohesion, int[] nearest, double[] nearestDistance, double mergeBelow) {
        this.centreDistance = centreDistance;
        this.outlier = outlier;
        this.cohesion = cohesion;
        this.nearest = nearest;
        this.nearestDistance = nearestDistance;
        this.mergeBelow = mergeBelow;
    }

    /** @param threshold the clustering's distance threshold; merges are suggested below it */
    public static ClusterTriage of(Embeddings points, Clustering c, double threshold, dev.clpipe.face.search.KnnSearch search) {
        if (points.size() != c.size()) throw new IllegalArgumentException(points.size() + " faces but " + c.size() + " labels");
        int n = points.size(), k = c.clusters(), d = points.dim();
        double[] sum = new double[k * d];
        int[] count = new int[k];
        for (int i = 0; i < n; i++) {
            int l = c.label(i);
            if (l < 0) continue;
            count[l]++;
            float[] r = points.row(i);
            for (int j = 0; j < d; j++) sum[l * d + j] += r[j];
        }
        float[][] centre = new float[k][d];
        for (int l = 0; l < k; l++) for (int j = 0; j < d; j++) centre[l][j] = (float) (sum[l * d + j] / count[l]);
        double[] own = new double[n];
        boolean[] out = new boolean[n];
        double[][] members = new double[k][];
        int[] fill = new int[k];
        for (int l = 0; l < k; l++) members[l] = new double[count[l]];
        Embeddings centres = new Embeddings(d, Math.max(1, k));
        for (float[] v : centre) centres.add(v);
        dev.clpipe.face.search.Neighbors nearestCentre = k > 1 ? search.search(points, centres, 1, Double.POSITIVE_INFINITY) : null;
        for (int i = 0; i < n; i++) {
            int l = c.label(i);
            if (l < 0) {
                own[i] = Double.NaN;
                continue;
            }
            own[i] = points.distanceTo(i, centre[l]);
            members[l][fill[l]++] = own[i];
            if (nearestCentre != null && count[l] > 1 && nearestCentre.neighbor(i, 0) != l && nearestCentre.distance(i, 0) < own[i]) out[i] = true;
        }
        double[] cohesion = new double[k], median = new double[k], mad = new double[k];
        for (int l = 0; l < k; l++) {
            cohesion[l] = Arrays.stream(members[l]).average().orElse(0);
            double mid = median(members[l].clone());
            median[l] = mid;
            double[] dev = Arrays.stream(members[l]).map(v -> Math.abs(v - mid)).toArray();
            mad[l] = median(dev);
        }
        for (int i = 0; i < n; i++) {
            int l = c.label(i);
            if (l >= 0 && count[l] >= 3 && own[i] > median[l] + 3 * mad[l] && own[i] > threshold / 2) out[i] = true;
        }
        int[] near = new int[k];
        double[] nearD = new double[k];
        Arrays.fill(near, -1);
        Arrays.fill(nearD, Double.POSITIVE_INFINITY);
        if (k > 1) {
            dev.clpipe.face.search.Neighbors nb = search.graph(centres, 1, Double.POSITIVE_INFINITY);
            for (int l = 0; l < k; l++) {
                near[l] = nb.neighbor(l, 0);
                nearD[l] = nb.distance(l, 0);
            }
        }
        return new ClusterTriage(own, out, cohesion, near, nearD, threshold);
    }

    private static double median(double[] v) {
        if (v.length == 0) return 0;
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Distance of face i to its cluster's centre (NaN when unclustered). */
    public double centreDistance(int i) {
        return centreDistance[i];
    }

    public boolean outlier(int i) {
        return outlier[i];
    }

    /** Mean distance of the cluster's faces to its centre (0 for a single face). */
    public double cohesion(int cluster) {
        return cohesion[cluster];
    }

    /** The cluster with the nearest centre, or -1 when there is no other cluster. */
    public int nearestCluster(int cluster) {
        return nearest[cluster];
    }

    public double nearestDistance(int cluster) {
        return nearestDistance[cluster];
    }

    public boolean suggestMerge(int cluster) {
        return nearest[cluster] >= 0 && nearestDistance[cluster] < mergeBelow;
    }
}
