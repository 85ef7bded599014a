package dev.clpipe.face.search;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Approximate k-NN graph by an inverted file (IVF): k-means cells over a sample of the points
 * (each assignment step is a {@link BlockScan} with k = 1 over the centres, so on the device when
 * the scan is a {@link DeviceBlockScan}; the means on the host), every point filed under its
 * nearest cell, then the points of each cell scan the {@code nprobe} cells nearest to that cell's
 * centre (one probe list per cell, so a block of 8 points shares every candidate it loads).
 * Cost about n * (lists + nprobe * n / lists) * d multiply-adds instead of n^2 * d / 2; recall
 * against the exact graph is measured in {@code bench faces}.
 *
 * <p>Deterministic for a seed: the sample, the initial centres and every scan are fixed, and
 * ties go to the smaller id.
 */
public final class IvfKnn {
    /**
     * @param lists k-means cells, or 0 for {@link #autoLists}
     * @param nprobe cells the points of a cell scan (their own first)
     * @param iterations k-means iterations
     * @param samplePerList k-means trains on at most this many points per cell
     * @param seed sample and initial centres
     */
    public record Options(int lists, int nprobe, int iterations, int samplePerList, long seed) {
        public Options {
            if (lists < 0) throw new IllegalArgumentException("IVF lists must be >= 0 (0 = automatic), got " + lists);
            if (nprobe < 1 || nprobe > BlockScan.KMAX) throw new IllegalArgumentException("IVF nprobe must be within [1, " + BlockScan.KMAX + "], got " + nprobe);
            if (iterations < 1) throw new IllegalArgumentException("k-means iterations must be >= 1, got " + iterations);
            if (samplePerList < 1) throw new IllegalArgumentException("k-means sample per list must be >= 1, got " + samplePerList);
        }

        public static Options defaults() {
            return new Options(0, 16, 8, 32, 0);
        }

        public Options withNprobe(int p) {
            return new Options(lists, p, iterations, samplePerList, seed);
        }

        public Options withLists(int l) {
            return new Options(l, nprobe, iterations, samplePerList, seed);
        }
    }

    /** Query rows per scan call: bounds the per-call buffers (chunk x k x 8 bytes). */
    static final int CHUNK = 1 << 16;

    private final BlockScan scan;
    private final Options options;

    public IvfKnn(BlockScan scan, Options options) {
        this.scan = scan;
        this.options = options;
    }

    public BlockScan scan() {
        return scan;
    }

    public Options options() {
        return options;
    }

    /** About sqrt(n) cells: the centre search stays small against the scan. */
    public static int autoLists(int n) {
        return (int) Math.max(1, Math.min(n, Math.round(Math.sqrt(n))));
    }

    /** Each row's (approximately) k nearest other rows within the radius, self excluded; k is capped at {@link BlockScan#KMAX}. */
    public Neighbors graph(Embeddings points, int k, double radius) {
        int n = points.size();
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        if (!(radius >= 0)) throw new IllegalArgumentException("radius must be >= 0 (or +inf), got " + radius);
        if (n == 0) throw new IllegalArgumentException("the base set is empty");
        int d = points.dim();
        int kk = Math.max(1, Math.min(Math.min(k, BlockScan.KMAX), n - 1));
        int lists = options.lists() == 0 ? autoLists(n) : Math.min(options.lists(), n);
        int nprobe = Math.min(options.nprobe(), lists);
        float[] centres = kMeans(points, lists);
        int[] own = nearest(points.data(), n, d, centres, lists, 1);
        int[] cellProbes = nearest(centres, lists, d, centres, lists, nprobe);
        PackedLists packed = PackedLists.group(points.data(), n, d, own, lists);

        int[] index = new int[n * kk];
        float[] dist = new float[n * kk];
        int[] count = new int[n];
        Arrays.fill(index, -1);
        float bound = Double.isInfinite(radius) ? Float.POSITIVE_INFINITY : (float) (radius * radius * (1 + 1e-4) + 1e-5);
        int[] order = packed.order();
        int[] listRow = packed.listRow();
        // chunks of whole cells, walked in list order; blocks never straddle two cells
        int l0 = 0;
        while (l0 < lists) {
            int l1 = l0 + 1;
            while (l1 < lists && listRow[l1 + 1] - listRow[l0] <= CHUNK) l1++;
            int r0 = listRow[l0];
            int nq = listRow[l1] - r0;
            if (nq > 0) scanCells(points, packed, cellProbes, nprobe, l0, l1, r0, nq, kk, bound, radius, index, dist, count);
            l0 = l1;
        }
        return new Neighbors(kk, index, dist, count, count.clone(), radius);
    }

    private void scanCells(Embeddings points, PackedLists packed, int[] cellProbes, int nprobe, int l0, int l1, int r0, int nq, int k,
                           float bound, double radius, int[] index, float[] dist, int[] count) {
        int d = points.dim();
        int[] order = packed.order();
        int[] listRow = packed.listRow();
        float[] queries = new float[nq * d];
        int[] ids = Arrays.copyOfRange(order, r0, r0 + nq);
        for (int q = 0; q < nq; q++) System.arraycopy(points.data(), ids[q] * d, queries, q * d, d);
        int blocks = 0;
        for (int l = l0; l < l1; l++) blocks += (listRow[l + 1] - listRow[l] + BlockScan.ROWS - 1) / BlockScan.ROWS;
        int[] row0 = new int[blocks];
        int[] rows = new int[blocks];
        int[] probes = new int[blocks * nprobe];
        int b = 0;
        for (int l = l0; l < l1; l++) {
            for (int r = listRow[l]; r < listRow[l + 1]; r += BlockScan.ROWS, b++) {
                row0[b] = r - r0;
                rows[b] = Math.min(BlockScan.ROWS, listRow[l + 1] - r);
                System.arraycopy(cellProbes, l * nprobe, probes, b * nprobe, nprobe);
            }
        }
        int[] outIdx = new int[nq * k];
        float[] outDist = new float[nq * k];
        int[] outCount = new int[nq];
        scan.scan(packed, queries, ids, nq, row0, rows, blocks, probes, nprobe, k, bound, outIdx, outDist, outCount);
        // the kernel's GEMM-form distances round: recompute the kept ones exactly, as KnnSearch does
        long[] keys = new long[k];
        for (int q = 0; q < nq; q++) {
            int row = ids[q];
            int m = 0;
            for (int r = 0; r < outCount[q]; r++) {
                int j = outIdx[q * k + r];
                float e = (float) Math.sqrt(Embeddings.sqDiff(points.data(), row * d, points.data(), j * d, d));
                if (e <= radius) keys[m++] = ((long) Float.floatToIntBits(e) << 32) | j;
            }
            Arrays.sort(keys, 0, m);
            for (int r = 0; r < m; r++) {
                index[row * k + r] = (int) keys[r];
                dist[row * k + r] = Float.intBitsToFloat((int) (keys[r] >>> 32));
            }
            count[row] = m;
        }
    }

    /** Lloyd's k-means on a seeded sample: assignment by the scan (k = 1 over all centres), means on the host. */
    float[] kMeans(Embeddings points, int lists) {
        int n = points.size();
        int d = points.dim();
        SplittableRandom rnd = new SplittableRandom(options.seed());
        int m = (int) Math.min(n, (long) lists * options.samplePerList());
        int[] pick = sample(n, m, rnd);
        float[] sample = new float[m * d];
        for (int s = 0; s < m; s++) System.arraycopy(points.data(), pick[s] * d, sample, s * d, d);
        float[] centres = Arrays.copyOf(sample, lists * d); // the sample is shuffled: its first rows are random distinct points
        double[] sum = new double[lists * d];
        int[] size = new int[lists];
        for (int it = 0; it < options.iterations(); it++) {
            int[] assign = nearest(sample, m, d, centres, lists, 1);
            Arrays.fill(sum, 0);
            Arrays.fill(size, 0);
            for (int s = 0; s < m; s++) {
                int c = assign[s];
                size[c]++;
                for (int t = 0; t < d; t++) sum[c * d + t] += sample[s * d + t];
            }
            for (int c = 0; c < lists; c++) {
                if (size[c] == 0) continue; // an empty cell keeps its centre
                for (int t = 0; t < d; t++) centres[c * d + t] = (float) (sum[c * d + t] / size[c]);
            }
        }
        return centres;
    }

    /** The {@code p} nearest of {@code lists} centres for each of {@code count} rows, nearest first: [count][p]. */
    int[] nearest(float[] rows, int count, int d, float[] centres, int lists, int p) {
        PackedLists one = PackedLists.single(centres, lists, d);
        int[] out = new int[count * p];
        int chunk = Math.min(count, CHUNK);
        int[] noSelf = new int[chunk];
        Arrays.fill(noSelf, -1);
        int[][] blocks = BlockScan.uniformBlocks(chunk);
        int[] probes = new int[blocks[0].length]; // every block probes list 0, the only one
        int[] idx = new int[chunk * p];
        float[] dist = new float[chunk * p];
        int[] got = new int[chunk];
        for (int c0 = 0; c0 < count; c0 += CHUNK) {
            int nq = Math.min(count, c0 + CHUNK) - c0;
            float[] q = c0 == 0 && rows.length == nq * d ? rows : Arrays.copyOfRange(rows, c0 * d, (c0 + nq) * d);
            int[][] bl = nq == chunk ? blocks : BlockScan.uniformBlocks(nq);
            scan.scan(one, q, noSelf, nq, bl[0], bl[1], bl[0].length, probes, 1, p, Float.POSITIVE_INFINITY, idx, dist, got);
            System.arraycopy(idx, 0, out, c0 * p, nq * p);
        }
        return out;
    }

    /** m distinct indices of [0, n) in random order (partial Fisher-Yates). */
    private static int[] sample(int n, int m, SplittableRandom rnd) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        for (int i = 0; i < m; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, m);
    }
}
