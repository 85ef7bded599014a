package dev.clpipe.face.bench;

import dev.clpipe.face.cluster.Clustering;
import dev.clpipe.face.cluster.FaceClusterer;
import dev.clpipe.face.metrics.ClusterScores;
import dev.clpipe.face.search.BlockScan;
import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.IvfKnn;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.face.search.Neighbors;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Clustering many faces end to end with the default method (chinese whispers, linear weights,
 * threshold 0.34, k = 48) over the IVF graph of a {@link BlockScan} (the device in
 * {@code bench faces}), on synthetic descriptors on face-api's scale ({@link SyntheticFaces.Spec#faceApi}:
 * same person median ~0.33, different people ~0.53 as measured on the identity set, 15 % look-alikes,
 * log-normal photos per person). With {@code compareExact}, the exact path runs in the same process
 * as the anchor: its time, the IVF graph's recall against the exact graph (the clustering graph,
 * and plain recall@10), and how far the two clusterings agree.
 */
public final class LargeScaleClustering {
    /** One measured step; {@code detail} carries the quality figures. */
    public record Row(String step, int n, double seconds, double cpuSeconds, String detail, Map<String, Double> values) {
        public Row(String step, int n, double seconds, double cpuSeconds, String detail) {
            this(step, n, seconds, cpuSeconds, detail, Map.of());
        }

        /** The same row with a number for the JSON output (units in the key). */
        public Row with(String key, double value) {
            Map<String, Double> m = new LinkedHashMap<>(values);
            m.put(key, value);
            return new Row(step, n, seconds, cpuSeconds, detail, m);
        }

        public String line() {
            return String.format(Locale.ROOT, "%-62s n=%-8d %8.2f s wall %8.2f s cpu  %s", step, n, seconds, cpuSeconds, detail);
        }
    }

    private LargeScaleClustering() {}

    public static void run(BlockScan scan, int n, boolean compareExact, long seed, Consumer<Row> sink) {
        run(scan, IvfKnn.Options.defaults(), n, compareExact, seed, sink);
    }

    /**
     * The IVF path timed by phase (k-means, assignment, scan, merge, exact refinement, then chinese
     * whispers), its BCubed F against the synthetic identities, recall@10 and the clustering graph's
     * recall on a sample of faces searched exactly, and (with {@code compareExact}) the exact path.
     */
    public static void run(BlockScan scan, IvfKnn.Options options, int n, boolean compareExact, long seed, Consumer<Row> sink) {
        long t = System.nanoTime();
        long c = cpu();
        SyntheticFaces data = SyntheticFaces.generate(n, seed, SyntheticFaces.Spec.faceApi());
        Embeddings e = data.embeddings();
        sink.accept(new Row("synthetic descriptors (not part of the clustering time)", n, secs(t), cpuSecs(c),
                data.identities() + " identities"));

        IvfKnn ivf = new IvfKnn(scan, options);
        FaceClusterer.Options o = FaceClusterer.Options.defaults();
        FaceClusterer approx = new FaceClusterer(KnnSearch.defaults(), ivf, 2);
        String where = scan.where().equals("host") ? "host" : "device";
        t = System.nanoTime();
        c = cpu();
        Neighbors ag = approx.graph(e, o.k(), o.threshold());
        double gSecs = secs(t);
        double gCpu = cpuSecs(c);
        IvfKnn.Phases ph = ivf.lastPhases();
        sink.accept(new Row("IVF k-NN graph on " + where + " (k=" + o.k() + " within " + o.threshold() + ")", n, gSecs, gCpu, String.format(Locale.ROOT,
                "%d lists, nprobe %d; k-means %.2f s, assignment %.2f s, packing %.2f s, scan %.2f s, merge %.2f s, exact refinement %.2f s",
                options.lists() == 0 ? IvfKnn.autoLists(n) : options.lists(), options.nprobe(), ph.kMeansS(), ph.assignS(), ph.packS(), ph.scanS(), ph.mergeS(), ph.refineS()))
                .with("lists", options.lists() == 0 ? IvfKnn.autoLists(n) : options.lists()).with("nprobe", options.nprobe())
                .with("kmeans_s", ph.kMeansS()).with("assign_s", ph.assignS()).with("pack_s", ph.packS()).with("scan_s", ph.scanS())
                .with("merge_s", ph.mergeS()).with("refine_s", ph.refineS()));
        t = System.nanoTime();
        c = cpu();
        Clustering a = approx.clusterGraph(e, ag, o, o.threshold());
        double cwSecs = secs(t);
        double cwCpu = cpuSecs(c);
        sink.accept(new Row("chinese whispers on the IVF graph", n, cwSecs, cwCpu, ag.edges() + " edges").with("edges", ag.edges()));
        double aSecs = gSecs + cwSecs;
        ClusterScores aq = ClusterScores.of(data.identity(), a.labels());
        sink.accept(new Row("cluster end to end: IVF k-NN graph on " + where + " + chinese whispers", n, aSecs, gCpu + cwCpu,
                String.format(Locale.ROOT, "%d clusters of %d identities, BCubed F %.3f, pairwise F %.3f, peak RSS %d MB (%s)",
                        a.clusters(), data.identities(), aq.bcubed().f1(), aq.pairwise().f1(), peakRssMb(), memoryNote(n, e.dim())))
                .with("clusters", a.clusters()).with("identities", data.identities()).with("bcubed_f", aq.bcubed().f1())
                .with("pairwise_f", aq.pairwise().f1()).with("peak_rss_mb", peakRssMb()));

        int sampled = Math.min(n, RECALL_SAMPLE);
        int[] rows = sampleRows(n, sampled, seed);
        sink.accept(sampledRecall("IVF clustering graph (k=" + o.k() + " within " + o.threshold() + ")", e, ag, rows, o.k(), o.threshold()));
        if (!PLAIN_RECALL) return;
        t = System.nanoTime();
        c = cpu();
        Neighbors plain = ivf.graph(e, 10, Double.POSITIVE_INFINITY);
        Row r10 = sampledRecall("IVF plain k-NN, recall@10", e, plain, rows, 10, Double.POSITIVE_INFINITY);
        sink.accept(new Row(r10.step(), n, secs(t), cpuSecs(c), r10.detail() + " (time: the IVF k=10 graph)", r10.values()));
        if (!compareExact) return;

        t = System.nanoTime();
        c = cpu();
        FaceClusterer exact = new FaceClusterer(KnnSearch.defaults());
        Neighbors xg = exact.graph(e, o.k(), o.threshold());
        Clustering x = exact.clusterGraph(e, xg, o, o.threshold());
        double xSecs = secs(t);
        ClusterScores xq = ClusterScores.of(data.identity(), x.labels());
        ClusterScores agree = ClusterScores.of(x.labels(), a.labels());
        sink.accept(new Row("anchor: cluster end to end with the exact k-NN graph (host GEMM)", n, xSecs, cpuSecs(c),
                String.format(Locale.ROOT, "%d clusters, BCubed F %.3f; IVF path %.1fx faster; IVF clusters against exact ones: BCubed F %.4f, pairwise F %.4f;"
                                + " IVF clustering graph recall against the exact graph %.4f (%d edges)",
                        x.clusters(), xq.bcubed().f1(), xSecs / aSecs, agree.bcubed().f1(), agree.pairwise().f1(), ag.recallAgainst(xg), xg.edges()))
                .with("clusters", x.clusters()).with("bcubed_f", xq.bcubed().f1()).with("ivf_speedup", xSecs / aSecs)
                .with("ivf_agreement_bcubed_f", agree.bcubed().f1()).with("ivf_graph_recall", ag.recallAgainst(xg)));
    }

    /** {@code -Dclpipe.ivf.plainRecall=false} skips the k = 10 graph (and with it the exact anchor) in parameter sweeps. */
    private static final boolean PLAIN_RECALL = !"false".equals(System.getProperty("clpipe.ivf.plainRecall"));

    /** Faces whose neighbours are searched exactly for the recall figures (all of them below this). */
    static final int RECALL_SAMPLE = 10_000;

    /** Recall of {@code approx}'s rows {@code rows} against an exact search of those faces over the whole set (self excluded). */
    static Row sampledRecall(String what, Embeddings e, Neighbors approx, int[] rows, int k, double radius) {
        long t = System.nanoTime();
        long c = cpu();
        Embeddings q = new Embeddings(e.dim(), rows.length);
        for (int r : rows) q.add(e.row(r));
        Neighbors x = KnnSearch.defaults().search(q, e, k + 1, radius);
        long hit = 0;
        long total = 0;
        java.util.Set<Integer> got = new java.util.HashSet<>();
        for (int s = 0; s < rows.length; s++) {
            got.clear();
            for (int r = 0; r < approx.count(rows[s]); r++) got.add(approx.neighbor(rows[s], r));
            int kept = 0;
            for (int r = 0; r < x.count(s) && kept < k; r++) {
                int j = x.neighbor(s, r);
                if (j == rows[s]) continue;
                kept++;
                total++;
                if (got.contains(j)) hit++;
            }
        }
        double recall = total == 0 ? 1 : hit / (double) total;
        return new Row(what + " vs exact", e.size(), secs(t), cpuSecs(c), String.format(Locale.ROOT,
                "recall %.4f (%d of %d exact edges of %d sampled faces; time: their exact search)", recall, hit, total, rows.length))
                .with("recall", recall).with("sampled_faces", rows.length);
    }

    private static int[] sampleRows(int n, int m, long seed) {
        if (m == n) return java.util.stream.IntStream.range(0, n).toArray();
        return new java.util.SplittableRandom(seed).ints(0, n).distinct().limit(m).sorted().toArray();
    }

    /**
     * Arguments: sizes (default 100000); {@code -Dclpipe.device=SPEC} picks the device (default cpu),
     * {@code -Dclpipe.ivf.lists=L -Dclpipe.ivf.nprobe=P} the IVF cells (default automatic, 16).
     */
    public static void main(String[] args) {
        IvfKnn.Options options = IvfKnn.Options.defaults().withLists(Integer.getInteger("clpipe.ivf.lists", 0))
                .withNprobe(Integer.getInteger("clpipe.ivf.nprobe", IvfKnn.Options.defaults().nprobe()));
        boolean exact = !Boolean.getBoolean("clpipe.ivf.noExact");
        try (dev.clpipe.cl.ClContext context = dev.clpipe.cl.ClRuntime.standard().openOne(System.getProperty("clpipe.device", "cpu"));
             dev.clpipe.face.search.DeviceBlockScan scan = new dev.clpipe.face.search.DeviceBlockScan(context)) {
            for (String a : args.length == 0 ? new String[] {"100000"} : args) {
                int n = Integer.parseInt(a);
                System.out.println("# " + n + " faces on " + scan.where() + ", load average "
                        + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                run(scan, options, n, exact && n <= 100_000, 42, r -> System.out.println(r.line()));
            }
        }
    }

    private static String memoryNote(int n, int d) {
        return String.format(Locale.ROOT, "descriptors %d MB, packed lists on the device %d MB", (long) n * d * 4 >> 20, (long) n * (d + 2) * 4 >> 20);
    }

    /** Peak resident memory of the whole process (heap, PoCL buffers, code), from /proc; -1 where there is none. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static long cpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static double cpuSecs(long c0) {
        return (cpu() - c0) / 1e9;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
