package dev.clpipe.face.bench;

import dev.clpipe.face.cluster.AdaptiveThreshold;
import dev.clpipe.face.cluster.Agglomerative;
import dev.clpipe.face.cluster.ChineseWhispers;
import dev.clpipe.face.cluster.Clustering;
import dev.clpipe.face.cluster.Dbscan;
import dev.clpipe.face.cluster.IncrementalClusterer;
import dev.clpipe.face.cluster.Linkage;
import dev.clpipe.face.cluster.NeighborGraph;
import dev.clpipe.face.metrics.ClusterScores;
import dev.clpipe.face.search.Embeddings;
import dev.clpipe.face.search.KnnSearch;
import dev.clpipe.face.search.Neighbors;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The face-clustering benchmark ({@code clpipe bench faces} once registered): synthetic
 * descriptors with known identities ({@link SyntheticFaces}), every clustering method at the
 * fixed face-api threshold 0.6 and at the adaptive one, timed, scored, printed as a Markdown
 * table. Usage: {@code FaceClusteringBench [n ...]} (default 10000).
 */
public final class FaceClusteringBench {
    /** k of the neighbour graph shared by all methods. */
    public static final int GRAPH_K = 48;
    public static final double FIXED = 0.6;

    public record Row(String scenario, int n, String method, double threshold, double seconds, double cpuSeconds, ClusterScores scores) {
        String markdown() {
            if (scores == null) return String.format("| %s | %d | %s | %s | %.2f | %.2f | | | | |", scenario, n, method,
                    Double.isNaN(threshold) ? "" : String.format("%.3f", threshold), seconds, cpuSeconds);
            return String.format("| %s | %d | %s | %.3f | %.2f | %.2f | %.3f | %.3f | %.3f | %d / %d |", scenario, n, method, threshold,
                    seconds, cpuSeconds, scores.pairwise().f1(), scores.bcubed().f1(), scores.nmi(), scores.clusters() + scores.unclustered(),
                    scores.identities());
        }
    }

    private FaceClusteringBench() {}

    public static String header() {
        return "| data | n | method | threshold | wall s | cpu s | pairwise F | BCubed F | NMI | clusters / identities |\n"
                + "|---|---|---|---|---|---|---|---|---|---|";
    }

    public static List<Row> run(String scenario, SyntheticFaces.Spec spec, int n, long seed, PrintStream log) {
        SyntheticFaces data = SyntheticFaces.generate(n, seed, spec);
        Embeddings e = data.embeddings();
        int[] truth = data.identity();
        KnnSearch search = KnnSearch.defaults();
        List<Row> rows = new ArrayList<>();

        long t0 = System.nanoTime();
        long c0 = cpu();
        AdaptiveThreshold.Choice choice = AdaptiveThreshold.select(e, search, seed);
        double adaptive = choice.threshold();
        rows.add(new Row(scenario, n, "adaptive threshold: mixture (valley " + String.format("%.3f", choice.valley()) + ", otsu " + String.format("%.3f", choice.otsu()) + ")", adaptive,
                secs(t0), cpuSecs(c0), null));
        emit(log, rows);

        t0 = System.nanoTime();
        c0 = cpu();
        double radius = Math.max(FIXED, adaptive);
        Neighbors nb = search.graph(e, GRAPH_K, radius);
        rows.add(new Row(scenario, n, "k-NN graph k=" + GRAPH_K + " r=" + String.format("%.2f", radius) + " (" + nb.truncatedRows()
                + " rows truncated)", Double.NaN, secs(t0), cpuSecs(c0), null));
        emit(log, rows);

        for (double t : new double[] {FIXED, adaptive}) {
            String tag = t == FIXED ? "fixed" : "adaptive";
            timed(rows, log, scenario, n, "chinese whispers, " + tag, t, truth, () ->
                    new ChineseWhispers(ChineseWhispers.Options.defaults(t)).cluster(NeighborGraph.fromNeighbors(nb, t)));
            timed(rows, log, scenario, n, "DBSCAN minPts=2, " + tag, t, truth, () ->
                    new Dbscan(new Dbscan.Options(t, 2)).cluster(nb));
            timed(rows, log, scenario, n, "agglomerative average, " + tag, t, truth, () ->
                    new Agglomerative(new Agglomerative.Options(Linkage.AVERAGE, t)).cluster(e, nb).clustering());
        }
        timed(rows, log, scenario, n, "agglomerative single, adaptive", adaptive, truth, () ->
                new Agglomerative(new Agglomerative.Options(Linkage.SINGLE, adaptive)).cluster(e, nb).clustering());
        timed(rows, log, scenario, n, "agglomerative complete, adaptive", adaptive, truth, () ->
                new Agglomerative(new Agglomerative.Options(Linkage.COMPLETE, adaptive)).cluster(e, nb).clustering());

        // incremental: cluster 90 % (average linkage, 0.6), then add the last 10 % in order
        int base = n - n / 10;
        Embeddings head = e.slice(0, base);
        Neighbors headNb = search.graph(head, GRAPH_K, radius);
        Clustering start = new Agglomerative(new Agglomerative.Options(Linkage.AVERAGE, FIXED)).cluster(head, headNb).clustering();
        timed(rows, log, scenario, n, "incremental +" + (n - base) + " after average, fixed", FIXED, truth, () -> {
            IncrementalClusterer inc = new IncrementalClusterer(head, start, FIXED);
            inc.addAll(e.slice(base, n));
            return inc.clustering();
        });
        return rows;
    }

    private static void timed(List<Row> rows, PrintStream log, String scenario, int n, String method, double t, int[] truth,
                              Supplier<Clustering> run) {
        long t0 = System.nanoTime();
        long c0 = cpu();
        Clustering c = run.get();
        double s = secs(t0);
        rows.add(new Row(scenario, n, method, t, s, cpuSecs(c0), ClusterScores.of(truth, c.labels())));
        emit(log, rows);
    }

    private static void emit(PrintStream log, List<Row> rows) {
        if (log != null) log.println(rows.get(rows.size() - 1).markdown());
    }

    /** CPU time of the whole process (all threads): on a shared machine, wall time alone misleads. */
    private static long cpu() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static double cpuSecs(long c0) {
        return (cpu() - c0) / 1e9;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Arguments: sizes, each optionally prefixed {@code folder:} or {@code event:} to run one data set only. */
    public static void main(String[] args) {
        String[] runs = args.length == 0 ? new String[] {"10000"} : args;
        System.out.println("threads: " + Runtime.getRuntime().availableProcessors() + ", java " + Runtime.version());
        System.out.println(header());
        for (String a : runs) {
            String[] p = a.split(":");
            int n = Integer.parseInt(p[p.length - 1]);
            if (p.length == 1 || p[0].equals("folder")) run("folder", SyntheticFaces.Spec.realistic(), n, 42, System.out);
            if (p.length == 1 || p[0].equals("event")) run("event", SyntheticFaces.Spec.event(), n, 42, System.out);
        }
    }
}
