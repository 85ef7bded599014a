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
import java.util.Locale;
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
    public record Row(String step, int n, double seconds, double cpuSeconds, String detail) {
        public String line() {
            return String.format(Locale.ROOT, "%-62s n=%-8d %8.2f s wall %8.2f s cpu  %s", step, n, seconds, cpuSeconds, detail);
        }
    }

    private LargeScaleClustering() {}

    public static void run(BlockScan scan, int n, boolean compareExact, long seed, Consumer<Row> sink) {
        long t = System.nanoTime();
        long c = cpu();
        SyntheticFaces data = SyntheticFaces.generate(n, seed, SyntheticFaces.Spec.faceApi());
        Embeddings e = data.embeddings();
        sink.accept(new Row("synthetic descriptors (not part of the clustering time)", n, secs(t), cpuSecs(c),
                data.identities() + " identities"));

        IvfKnn ivf = new IvfKnn(scan, IvfKnn.Options.defaults());
        FaceClusterer.Options o = FaceClusterer.Options.defaults();
        FaceClusterer approx = new FaceClusterer(KnnSearch.defaults(), ivf);
        t = System.nanoTime();
        c = cpu();
        Clustering a = approx.cluster(e, o).clustering();
        double aSecs = secs(t);
        ClusterScores aq = ClusterScores.of(data.identity(), a.labels());
        sink.accept(new Row("cluster end to end: IVF k-NN graph on " + (scan.where().equals("host") ? "host" : "device") + " + chinese whispers",
                n, aSecs, cpuSecs(c), String.format(Locale.ROOT, "%d clusters of %d identities, BCubed F %.3f, pairwise F %.3f, peak RSS %d MB (%s)",
                        a.clusters(), data.identities(), aq.bcubed().f1(), aq.pairwise().f1(), peakRssMb(), memoryNote(n, e.dim()))));
        if (!compareExact) return;

        t = System.nanoTime();
        c = cpu();
        Clustering x = new FaceClusterer(KnnSearch.defaults()).cluster(e, o).clustering();
        double xSecs = secs(t);
        ClusterScores xq = ClusterScores.of(data.identity(), x.labels());
        ClusterScores agree = ClusterScores.of(x.labels(), a.labels());
        sink.accept(new Row("anchor: cluster end to end with the exact k-NN graph (host GEMM)", n, xSecs, cpuSecs(c),
                String.format(Locale.ROOT, "%d clusters, BCubed F %.3f; IVF path %.1fx faster; IVF clusters against exact ones: BCubed F %.4f, pairwise F %.4f",
                        x.clusters(), xq.bcubed().f1(), xSecs / aSecs, agree.bcubed().f1(), agree.pairwise().f1())));

        for (double radius : new double[] {o.threshold(), Double.POSITIVE_INFINITY}) {
            int k = Double.isInfinite(radius) ? 10 : o.k();
            String what = Double.isInfinite(radius) ? "plain k-NN, k=10" : "clustering graph, k=" + k + " within " + radius;
            t = System.nanoTime();
            c = cpu();
            Neighbors ag = ivf.graph(e, k, radius);
            double gs = secs(t);
            double gc = cpuSecs(c);
            t = System.nanoTime();
            c = cpu();
            Neighbors xg = KnnSearch.defaults().graph(e, k, radius);
            sink.accept(new Row("IVF graph (" + what + ") vs exact", n, gs, gc, String.format(Locale.ROOT,
                    "recall %.4f (%d of %d exact edges); exact graph %.2f s wall %.2f s cpu", ag.recallAgainst(xg),
                    Math.round(ag.recallAgainst(xg) * xg.edges()), xg.edges(), secs(t), cpuSecs(c))));
        }
    }

    /** Arguments: sizes (default 100000); {@code -Dclpipe.device=SPEC} picks the device (default cpu). */
    public static void main(String[] args) {
        try (dev.clpipe.cl.ClContext context = dev.clpipe.cl.ClRuntime.standard().openOne(System.getProperty("clpipe.device", "cpu"));
             dev.clpipe.face.search.DeviceBlockScan scan = new dev.clpipe.face.search.DeviceBlockScan(context)) {
            for (String a : args.length == 0 ? new String[] {"100000"} : args) {
                int n = Integer.parseInt(a);
                System.out.println("# " + n + " faces on " + scan.where() + ", load average "
                        + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                run(scan, n, n <= 100_000, 42, r -> System.out.println(r.line()));
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
