package dev.clpipe.face.search;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Approximate k-NN graph by an inverted file (IVF): k-means cells over a sample of the points
 * (each assignment step is a {@link BlockScan} with k = 1 over the centres, so on the device when
 * the scan is a {@link DeviceBlockScan}; the means on the host), every point filed under its
 * nearest cell, then every point scans the {@code nprobe} cells nearest to itself (per face, so
 * a face near a cell border also sees the cells across it). The (face, cell) pairs are grouped by
 * cell ({@link ProbePairs}), so a block of 8 faces probing one cell shares every candidate it
 * loads, and each face's per-cell results are merged on the host. Cost about
 * n * (lists + nprobe * n / lists) * d multiply-adds instead of n^2 * d / 2; recall against the
 * exact graph is measured in {@code bench faces}.
 *
 * <p>Deterministic for a seed: the sample, the initial centres and every scan are fixed, and
 * ties go to the smaller id.
 */
public final class IvfKnn {
    /**
     * @param lists k-means cells, or 0 for {@link #autoLists}
     * @param nprobe cells each point scans: the nearest to it (its own first)
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
            return new Options(0, 32, 8, 32, 0);
        }

        public Options withNprobe(int p) {
            return new Options(lists, p, iterations, samplePerList, seed);
        }

        public Options withLists(int l) {
            return new Options(l, nprobe, iterations, samplePerList, seed);
        }
    }

    /** Query rows ((face, cell) pairs) per scan call: bounds the per-call buffers (chunk x (d + 2k) x 4 bytes). */
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

    /**
     * Wall seconds of the phases of the last {@link #graph} call: k-means, assigning every point to
     * its {@code nprobe} nearest cells, packing the lists, the scans (gathering the query rows, the
     * scan calls), merging each face's per-cell results, and recomputing the kept distances exactly.
     */
    public record Phases(double kMeansS, double assignS, double packS, double scanS, double mergeS, double refineS) {
        public double totalS() {
            return kMeansS + assignS + packS + scanS + mergeS + refineS;
        }
    }

    private volatile Phases last = new Phases(0, 0, 0, 0, 0, 0);

    /** The phases of the last {@link #graph} call. */
    public Phases lastPhases() {
        return last;
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
        long t0 = System.nanoTime();
        float[] centres = kMeans(points, lists);
        long t1 = System.nanoTime();
        int[] probes = nearest(points.data(), n, d, centres, lists, nprobe); // [n][nprobe], own cell first
        long t2 = System.nanoTime();
        int[] own = new int[n];
        for (int i = 0; i < n; i++) own[i] = probes[i * nprobe];
        PackedLists packed = PackedLists.group(points.data(), n, d, own, lists);
        ProbePairs pairs = ProbePairs.invert(probes, n, nprobe, lists);
        long t3 = System.nanoTime();

        // the running top k of every face, in the kernel's squared GEMM-form distances
        TopKTable top = new TopKTable(n, kk);
        float bound = Double.isInfinite(radius) ? Float.POSITIVE_INFINITY : (float) (radius * radius * (1 + 1e-4) + 1e-5);
        long[] spent = new long[2];
        for (int p0 = 0; p0 < pairs.size(); p0 += CHUNK) {
            int p1 = (int) Math.min(pairs.size(), (long) p0 + CHUNK);
            scanPairs(points, packed, pairs, p0, p1, kk, bound, top, spent);
        }
        long t4 = System.nanoTime();
        refine(points, kk, radius, top.idx, top.dist, top.size);
        long t5 = System.nanoTime();
        last = new Phases((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, spent[0] / 1e9, spent[1] / 1e9, (t5 - t4) / 1e9);
        return new Neighbors(kk, top.idx, top.dist, top.size, top.size.clone(), radius);
    }

    /**
     * Scans pairs [p0, p1) (each a face and one cell it probes; sorted by cell, so a block of up
     * to 8 faces probing the same cell shares every candidate it loads) and merges each pair's
     * top k into its face's running top k.
     */
    private void scanPairs(Embeddings points, PackedLists packed, ProbePairs pairs, int p0, int p1, int k, float bound,
                           TopKTable top, long[] spent) {
        long t0 = System.nanoTime();
        int d = points.dim();
        int nq = p1 - p0;
        int[] ids = Arrays.copyOfRange(pairs.face(), p0, p1);
        float[] queries = new float[nq * d];
        for (int q = 0; q < nq; q++) System.arraycopy(points.data(), ids[q] * d, queries, q * d, d);
        int[] cellStart = pairs.cellStart();
        int first = pairs.cellOf(p0);
        int blocks = 0;
        for (int c = first; c < cellStart.length - 1 && cellStart[c] < p1; c++) {
            int rows = Math.min(p1, cellStart[c + 1]) - Math.max(p0, cellStart[c]);
            blocks += (rows + BlockScan.ROWS - 1) / BlockScan.ROWS;
        }
        int[] row0 = new int[blocks];
        int[] rows = new int[blocks];
        int[] probe = new int[blocks];
        int b = 0;
        for (int c = first; c < cellStart.length - 1 && cellStart[c] < p1; c++) {
            int end = Math.min(p1, cellStart[c + 1]);
            for (int r = Math.max(p0, cellStart[c]); r < end; r += BlockScan.ROWS, b++) {
                row0[b] = r - p0;
                rows[b] = Math.min(BlockScan.ROWS, end - r);
                probe[b] = c;
            }
        }
        int[] outIdx = new int[nq * k];
        float[] outDist = new float[nq * k];
        int[] outCount = new int[nq];
        scan.scan(packed, queries, ids, nq, row0, rows, blocks, probe, 1, k, bound, outIdx, outDist, outCount);
        long t1 = System.nanoTime();
        merge(ids, nq, outIdx, outDist, outCount, k, top);
        spent[0] += t1 - t0;
        spent[1] += System.nanoTime() - t1;
    }

    /** Offers each pair's results to its face's top k; faces are split over threads by id, so each heap has one writer. */
    private static void merge(int[] faces, int nq, int[] outIdx, float[] outDist, int[] outCount, int k, TopKTable top) {
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), nq / 4096));
        java.util.stream.IntStream.range(0, threads).parallel().forEach(t -> {
            for (int q = 0; q < nq; q++) {
                int face = faces[q];
                if (face % threads != t) continue;
                for (int r = 0; r < outCount[q]; r++) top.offer(face, outDist[q * k + r], outIdx[q * k + r]);
            }
        });
    }

    /** The kernel's GEMM-form distances round: recompute the kept ones exactly, as KnnSearch does, and drop those past the radius. */
    private static void refine(Embeddings points, int k, double radius, int[] index, float[] dist, int[] count) {
        int d = points.dim();
        float[] data = points.data();
        java.util.stream.IntStream.range(0, count.length).parallel().forEach(row -> {
            int m = 0;
            long[] keys = new long[count[row]];
            for (int r = 0; r < count[row]; r++) {
                int j = index[row * k + r];
                float e = (float) Math.sqrt(Embeddings.sqDiff(data, row * d, data, j * d, d));
                if (e <= radius) keys[m++] = ((long) Float.floatToIntBits(e) << 32) | j;
            }
            Arrays.sort(keys, 0, m);
            for (int r = 0; r < k; r++) {
                index[row * k + r] = r < m ? (int) keys[r] : -1;
                dist[row * k + r] = r < m ? Float.intBitsToFloat((int) (keys[r] >>> 32)) : 0f;
            }
            count[row] = m;
        });
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
