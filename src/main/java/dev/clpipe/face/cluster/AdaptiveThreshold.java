package dev.clpipe.face.cluster;

import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.face.search.Neighbors;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks a clustering threshold from the data instead of the folklore 0.6. The input is the
 * distribution of k-NN distances (each face to its k nearest others): near pairs of one person
 * form a low mode, nearest other people a high one. Three rules, all pure functions of the
 * sample, clamped to [lo, hi]:
 * <ul>
 *   <li>{@link #otsu}: the histogram split that maximises the between-class variance (Otsu 1979);</li>
 *   <li>{@link #valley}: the lowest bin of the smoothed histogram between its two highest peaks;</li>
 *   <li>{@link #quantile}: a fixed quantile (for data with known same-person pair share).</li>
 * </ul>
 * On a photo folder of one event, lookalikes pull the high mode below 0.6, and both histogram
 * rules follow it down where a fixed 0.6 would merge everyone (see docs/face-clustering.md).
 */
public final class AdaptiveThreshold {
    /**
     * The histogram span [lo, hi) with its bin count, and the interval [min, max] the chosen
     * threshold is clamped to. The span must hold both modes, so it is wider than the clamp.
     */
    public record Range(double lo, double hi, int bins, double min, double max) {
        public Range {
            if (!(lo >= 0 && hi > lo)) throw new IllegalArgumentException("threshold histogram span must satisfy 0 <= lo < hi, got [" + lo + ", " + hi + "]");
            if (bins < 4) throw new IllegalArgumentException("threshold histogram needs >= 4 bins, got " + bins);
            if (!(min <= max)) throw new IllegalArgumentException("threshold clamp must satisfy min <= max, got [" + min + ", " + max + "]");
        }

        /** Face-api.js descriptors: histogram over [0.2, 1.2) in 100 bins of 0.01; thresholds within [0.3, 0.7]. */
        public static Range faceApi() {
            return new Range(0.2, 1.2, 100, 0.3, 0.7);
        }

        double clamp(double t) {
            return Math.max(min, Math.min(max, t));
        }
    }

    /** The chosen threshold with the rule's inputs, for logs and run reports. */
    public record Choice(double threshold, double otsu, double valley, double mixture, int distances) {}

    /** Neighbours per sampled face and sample size of the default rule (chosen by measurement, docs/face-clustering.md). */
    public static final int DEFAULT_K = 30;
    public static final int DEFAULT_SAMPLE = 2000;

    /**
     * The default rule: the two-Gaussian mixture crossing of the 30-NN distances of 2000 sampled faces, in
     * the face-api range. Measured best for the graph methods (chinese whispers, DBSCAN, single
     * linkage); average linkage compares cluster means and does better at a fixed 0.6.
     */
    public static Choice select(Embeddings points, KnnSearch search, long seed) {
        float[] d = sampleDistances(points, search, DEFAULT_SAMPLE, DEFAULT_K, seed);
        Range r = Range.faceApi();
        double v = valley(d, r, 2), m = mixture(d, r);
        return new Choice(m, otsu(d, r), v, m, d.length);
    }

    private AdaptiveThreshold() {}

    /**
     * Distances from {@code sample} random faces (seeded) to their k nearest other faces: the
     * input of the rules, at a cost of sample * n * d instead of a full k-NN graph.
     */
    public static float[] sampleDistances(Embeddings points, KnnSearch search, int sample, int k, long seed) {
        int n = points.size();
        if (n < 2) return new float[0];
        int m = Math.min(sample, n);
        int[] pick = new SplittableRandom(seed).ints(0, n).distinct().limit(m).sorted().toArray();
        Embeddings q = new Embeddings(points.dim(), m);
        for (int i : pick) q.add(points.row(i));
        Neighbors nb = search.search(q, points, Math.min(n, k + 1), Double.POSITIVE_INFINITY);
        float[] out = new float[m * k];
        int w = 0;
        for (int r = 0; r < m; r++) {
            int kept = 0;
            for (int c = 0; c < nb.count(r) && kept < k; c++) {
                if (nb.neighbor(r, c) == pick[r]) continue;
                out[w++] = nb.distance(r, c);
                kept++;
            }
        }
        return Arrays.copyOf(out, w);
    }

    /** All kept neighbour distances of a k-NN result (search with radius +inf for an unbiased sample). */
    public static float[] distances(Neighbors nb) {
        float[] out = new float[(int) nb.edges()];
        int w = 0;
        for (int i = 0; i < nb.rows(); i++) for (int r = 0; r < nb.count(i); r++) out[w++] = nb.distance(i, r);
        return out;
    }

    /** Otsu's split of the histogram of the distances inside the range. */
    public static double otsu(float[] distances, Range range) {
        double[] h = histogram(distances, range);
        double total = 0;
        double sumAll = 0;
        for (int b = 0; b < h.length; b++) {
            total += h[b];
            sumAll += b * h[b];
        }
        if (total == 0) return range.clamp((range.lo() + range.hi()) / 2);
        double w0 = 0;
        double sum0 = 0;
        double best = -1;
        int split = h.length / 2;
        for (int b = 0; b < h.length - 1; b++) {
            w0 += h[b];
            sum0 += b * h[b];
            double w1 = total - w0;
            if (w0 == 0 || w1 == 0) continue;
            double m0 = sum0 / w0;
            double m1 = (sumAll - sum0) / w1;
            double between = w0 * w1 * (m0 - m1) * (m0 - m1);
            if (between > best) {
                best = between;
                split = b;
            }
        }
        return range.clamp(edge(range, split + 1));
    }

    /**
     * The deepest point of the smoothed histogram between its highest peak and the highest peak
     * at least a tenth of the span below it (above it when there is none below).
     */
    public static double valley(float[] distances, Range range, int smoothRadius) {
        double[] h = smooth(histogram(distances, range), smoothRadius);
        int p1 = argmax(h, 0, h.length);
        int minSep = Math.max(2, h.length / 10);
        // the low mode is the same-person one: prefer the highest peak below the main one; a peak
        // above it only counts when there is none below (noise in the far tail made 0.6+ valleys
        // on real descriptors, docs/face-clustering.md)
        int p2 = highestPeak(h, 0, p1 - minSep + 1);
        if (p2 < 0) p2 = highestPeak(h, p1 + minSep, h.length);
        if (p2 < 0) return otsu(distances, range);
        int a = Math.min(p1, p2);
        int c = Math.max(p1, p2);
        int v = argmin(h, a, c + 1);
        return range.clamp(edge(range, v) + (range.hi() - range.lo()) / h.length / 2);
    }

    /**
     * A two-component Gaussian mixture fitted by EM to the distances inside the range (started
     * from the Otsu split): the low component is same-person pairs, the high one nearest other
     * people. Returns the point between the two means where their weighted densities cross. Unlike
     * the valley, it needs no dip in the histogram: on real descriptors the same-person mode is
     * often only a shoulder of the other one.
     */
    public static double mixture(float[] distances, Range range) {
        double[] x = inside(distances, range);
        if (x.length < 4) return otsu(distances, range);
        double split = otsu(distances, range);
        double[] w = new double[2], mu = new double[2], var = new double[2];
        for (double v : x) {
            int c = v < split ? 0 : 1;
            w[c]++;
            mu[c] += v;
        }
        if (w[0] == 0 || w[1] == 0) return split;
        for (int c = 0; c < 2; c++) mu[c] /= w[c];
        for (double v : x) {
            int c = v < split ? 0 : 1;
            var[c] += (v - mu[c]) * (v - mu[c]);
        }
        for (int c = 0; c < 2; c++) {
            var[c] = Math.max(var[c] / w[c], 1e-6);
            w[c] /= x.length;
        }
        for (int iter = 0; iter < 200; iter++) {
            double[] sw = new double[2], sx = new double[2], sxx = new double[2];
            for (double v : x) {
                double p0 = w[0] * gauss(v, mu[0], var[0]), p1 = w[1] * gauss(v, mu[1], var[1]);
                double r0 = p0 + p1 > 0 ? p0 / (p0 + p1) : (v < split ? 1 : 0);
                sw[0] += r0;
                sw[1] += 1 - r0;
                sx[0] += r0 * v;
                sx[1] += (1 - r0) * v;
                sxx[0] += r0 * v * v;
                sxx[1] += (1 - r0) * v * v;
            }
            for (int c = 0; c < 2; c++) {
                if (sw[c] < 1e-9) return split;
                mu[c] = sx[c] / sw[c];
                var[c] = Math.max(sxx[c] / sw[c] - mu[c] * mu[c], 1e-6);
                w[c] = sw[c] / x.length;
            }
        }
        int lo = mu[0] <= mu[1] ? 0 : 1, hi = 1 - lo;
        // first point from the low mean upwards where the high component's weighted density wins
        double step = (mu[hi] - mu[lo]) / 1000;
        for (double t = mu[lo]; t <= mu[hi]; t += step) {
            if (w[hi] * gauss(t, mu[hi], var[hi]) >= w[lo] * gauss(t, mu[lo], var[lo])) return range.clamp(t);
        }
        return range.clamp((mu[lo] + mu[hi]) / 2);
    }

    private static double gauss(double v, double mu, double var) {
        return Math.exp(-(v - mu) * (v - mu) / (2 * var)) / Math.sqrt(2 * Math.PI * var);
    }

    private static double[] inside(float[] d, Range range) {
        double[] out = new double[d.length];
        int n = 0;
        for (float v : d) if (v >= range.lo() && v < range.hi()) out[n++] = v;
        return Arrays.copyOf(out, n);
    }

    /** The q-quantile of the distances (lower order statistic), clamped. */
    public static double quantile(float[] distances, double q, Range range) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile must be within [0, 1], got " + q);
        if (distances.length == 0) return range.clamp((range.lo() + range.hi()) / 2);
        float[] s = distances.clone();
        Arrays.sort(s);
        return range.clamp(s[(int) Math.min(s.length - 1, Math.floor(q * s.length))]);
    }

    static double[] histogram(float[] distances, Range range) {
        double[] h = new double[range.bins()];
        double width = (range.hi() - range.lo()) / range.bins();
        for (float d : distances) {
            if (d < range.lo() || d >= range.hi()) continue;
            h[(int) Math.min(range.bins() - 1, (d - range.lo()) / width)]++;
        }
        return h;
    }

    private static double[] smooth(double[] h, int radius) {
        double[] out = new double[h.length];
        for (int b = 0; b < h.length; b++) {
            double s = 0;
            int c = 0;
            for (int o = -radius; o <= radius; o++) {
                if (b + o < 0 || b + o >= h.length) continue;
                s += h[b + o];
                c++;
            }
            out[b] = s / c;
        }
        return out;
    }

    private static int highestPeak(double[] h, int from, int to) {
        int best = -1;
        for (int b = Math.max(0, from); b < Math.min(h.length, to); b++) {
            if (isPeak(h, b) && (best < 0 || h[b] > h[best])) best = b;
        }
        return best;
    }

    private static boolean isPeak(double[] h, int b) {
        return (b == 0 || h[b] >= h[b - 1]) && (b == h.length - 1 || h[b] >= h[b + 1]) && h[b] > 0;
    }

    private static int argmax(double[] h, int from, int to) {
        int best = from;
        for (int b = from; b < to; b++) if (h[b] > h[best]) best = b;
        return best;
    }

    private static int argmin(double[] h, int from, int to) {
        int best = from;
        for (int b = from; b < to; b++) if (h[b] < h[best]) best = b;
        return best;
    }

    private static double edge(Range range, int bin) {
        return range.lo() + bin * (range.hi() - range.lo()) / range.bins();
    }
}
