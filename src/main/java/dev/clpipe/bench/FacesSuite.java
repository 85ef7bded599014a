package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.parallel.DevicePool;
import dev.clpipe.face.bench.FaceClusteringBench;
import dev.clpipe.face.bench.LargeScaleClustering;
import dev.clpipe.face.search.DeviceBlockScan;
import dev.clpipe.face.bench.SyntheticFaces;
import dev.clpipe.face.align.FaceBox;
import dev.clpipe.face.align.FaceEmbedder;
import dev.clpipe.face.align.RgbImage;
import dev.clpipe.face.cluster.FaceClusterer;
import dev.clpipe.face.nets.DeviceFaceNet;
import dev.clpipe.nn.io.TfjsFormatException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code clpipe bench faces}: faces/s of the landmark + recognition nets on the device, then
 * clustering time and quality on synthetic 128-D embeddings ("folder": well separated people;
 * "event": look-alikes closer than 0.6; host work), with an end-to-end row per data set.
 * Size from {@code -Dclpipe.bench.faces=N} (default 10,000; 2,000 with --quick).
 */
public final class FacesSuite implements MultiDeviceSuite {
    /** Images per stage call in the several-device form. */
    private static final int STAGE_BATCH = 32;

    @Override
    public String name() {
        return "faces";
    }

    @Override
    public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        embedding(context, quick, sink, log);
        largeScale(context, quick, sink, log);
        int n = Integer.getInteger("clpipe.bench.faces", quick ? 2000 : 10_000);
        if (log != null) log.println("# synthetic faces, n=" + n + " (host)");
        for (String scenario : new String[] {"folder", "event"}) {
            SyntheticFaces.Spec spec = scenario.equals("folder") ? SyntheticFaces.Spec.realistic() : SyntheticFaces.Spec.event();
            long t0 = System.nanoTime();
            FaceClusterer.Result end = FaceClusterer.defaults().cluster(SyntheticFaces.generate(n, 42, spec).embeddings(), FaceClusterer.Options.defaults());
            double endMs = (System.nanoTime() - t0) / 1e6;
            sink.accept(BenchResult.call("cluster end to end (defaults: mixture threshold, k-NN graph, chinese whispers)", scenario + " n=" + n,
                    "FaceClusterer defaults", BenchDevice.host(), endMs, Double.NaN)
                    .with("threshold", end.threshold()).with("clusters", end.clustering().clusters()));
            for (FaceClusteringBench.Row r : FaceClusteringBench.run(scenario, spec, n, 42, null)) {
                BenchResult row = BenchResult.call(r.method(), scenario + " n=" + r.n(), "clustering method", BenchDevice.host(), r.seconds() * 1000, Double.NaN);
                if (r.scores() != null) {
                    row = row.with("pairwise_f1", r.scores().pairwise().f1()).with("bcubed_f1", r.scores().bcubed().f1()).with("nmi", r.scores().nmi());
                }
                sink.accept(row);
            }
        }
    }

    /**
     * Landmarks + descriptors on the device: faces/s of the whole embedder (crops, landmark net,
     * dlib alignment, recognition net) on 16 faces of 8 synthetic 320x240 images, batched as the
     * face-embed stage batches them; plus each net alone. Target: >= 50 faces/s.
     */
    private static void embedding(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        Path models = FaceApiFolder.checked();
        BenchDevice device = BenchDevice.of(context);
        List<RgbImage> images = images(8);
        List<List<FaceBox>> boxes = boxes(8);
        Random r = new Random(3);
        int reps = quick ? 1 : 3;
        for (boolean mirror : new boolean[] {false, true}) {
            try (DeviceFaceNet marks = DeviceFaceNet.landmarks(context, models); DeviceFaceNet rec = DeviceFaceNet.recognition(context, models);
                 FaceEmbedder embedder = new FaceEmbedder(marks, rec, mirror, 1)) {
                embedder.embedAll(images, boxes); // warm-up: kernels built, plans made
                long t0 = System.nanoTime();
                int faces = 0;
                for (int k = 0; k < reps; k++) for (FaceEmbedder.Result res : embedder.embedAll(images, boxes)) faces += res.faces().size();
                double ms = (System.nanoTime() - t0) / 1e6 / faces;
                sink.accept(BenchResult.batch("face embedder (landmarks + descriptor)" + (mirror ? " + mirrored crop" : ""), "16 faces / batch",
                        "crops, landmarks, alignment, descriptor (target >= 50 faces/s)", device, 16, 16 * ms,
                        (marks.flopsPerSample() + rec.flopsPerSample() * (mirror ? 2 : 1)) / 1e9 / (ms / 1000)).with("faces_per_s", 1000 / ms));
                if (!mirror) {
                    for (DeviceFaceNet net : new DeviceFaceNet[] {marks, rec}) {
                        int s = net.inputSize();
                        float[] in = new float[16 * s * s * 3];
                        for (int k = 0; k < in.length; k++) in[k] = r.nextInt(256);
                        net.forward(in, 16);
                        long t1 = System.nanoTime();
                        for (int k = 0; k < reps; k++) net.forward(in, 16);
                        double netMs = (System.nanoTime() - t1) / 1e6 / (16.0 * reps);
                        sink.accept(BenchResult.batch((s == 112 ? "landmark net" : "recognition net") + " " + s + "x" + s, "batch 16",
                                "forward of face crops", device, 16, 16 * netMs, net.flopsPerSample() / 1e9 / (netMs / 1000))
                                .with("faces_per_s", 1000 / netMs).with("gflop_per_face", net.flopsPerSample() / 1e9));
                    }
                }
            } catch (TfjsFormatException e) {
                throw new IllegalStateException("cannot read the face-api nets in " + models + ": " + e.getMessage(), e);
            }
        }
        if (log != null) log.println("# face embedding on " + context.device().describe());
    }

    /**
     * The face-embed stage's work (a {@link DevicePool} of embedders, face-api's landmark and
     * recognition nets, 32 synthetic 320x240 images of 2 faces each per stage call, cut into pieces)
     * on each device alone and on all together, in turn; the median round's ratio of together to
     * the mean device alone is the speed-up.
     */
    @Override
    public Map<String, Object> runTogether(List<ClContext> devices, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        Path models = FaceApiFolder.checked();
        int count = quick ? 8 : STAGE_BATCH;
        List<RgbImage> images = images(count);
        List<List<FaceBox>> boxes = boxes(count);
        int faces = 2 * count, calls = quick ? 1 : 2;
        PoolTurns.Measured m = PoolTurns.measure(devices, d -> embedder(d, models), pool -> PoolTurns.perSecond(pool, images.size(), calls, faces,
                        (e, p) -> e.embedAll(images.subList(p.from(), p.to()), boxes.subList(p.from(), p.to()))),
                quick ? 1 : 5, "face-embed", log);
        Map<String, Object> report = m.report("face-embed stage: face-api landmarks + recognition, " + count
                + " images of 320x240 with 2 faces each per stage call", devices.size());
        String shape = faces + " faces / stage call";
        m.rateRows("face-embed", shape, " (faces/s)", devices, report, sink);
        return report;
    }
    private static FaceEmbedder embedder(ClContext context, Path models) {
        try {
            DeviceFaceNet marks = DeviceFaceNet.landmarks(context, models);
            try {
                return new FaceEmbedder(marks, DeviceFaceNet.recognition(context, models), false, 1);
            } catch (TfjsFormatException | RuntimeException e) {
                marks.close();
                throw e;
            }
        } catch (TfjsFormatException e) {
            throw new IllegalStateException("cannot read the face-api nets in " + models + ": " + e.getMessage(), e);
        }
    }

    /** Synthetic 320x240 RGB images with some structure. */
    private static List<RgbImage> images(int count) {
        List<RgbImage> images = new ArrayList<>();
        Random r = new Random(3);
        for (int i = 0; i < count; i++) {
            float[] px = new float[320 * 240 * 3];
            for (int k = 0; k < px.length; k++) px[k] = (k / 3 % 320 + k / 960 + 40 * r.nextFloat()) % 256;
            images.add(new RgbImage(320, 240, px));
        }
        return images;
    }

    /** Two face boxes in each of {@code count} images, moved a little from image to image. */
    private static List<List<FaceBox>> boxes(int count) {
        List<List<FaceBox>> boxes = new ArrayList<>();
        for (int i = 0; i < count; i++) boxes.add(List.of(new FaceBox(30 + i % 8, 40, 110, 120, 0.9), new FaceBox(170, 60 + i % 8, 90, 100, 0.8)));
        return boxes;
    }

    /**
     * Many faces on the device: the IVF graph (ann.cl) + chinese whispers at the default settings,
     * sizes from {@code -Dclpipe.bench.faces.large=N,...} (default 100000,1000000; 20000 with --quick);
     * sizes up to 10^5 also run the exact path in the same process as the anchor (time, recall,
     * agreement). Wall and CPU seconds both: other jobs share the machine.
     */
    private static void largeScale(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        String sizes = System.getProperty("clpipe.bench.faces.large", quick ? "20000" : "100000,1000000");
        String device = context.device().describe();
        BenchDevice benchDevice = BenchDevice.of(context);
        try (DeviceBlockScan scan = new DeviceBlockScan(context)) {
            for (String size : sizes.split(",")) {
                int n = Integer.parseInt(size.trim());
                if (log != null) log.println("# " + n + " synthetic faces, IVF graph on " + device + ", load average " + loadAverage());
                LargeScaleClustering.run(scan, n, n <= 100_000, 42, row -> {
                    if (log != null) log.println(row.line());
                    BenchDevice ranOn = row.step().startsWith("IVF") || row.step().startsWith("cluster end to end: IVF") ? benchDevice : BenchDevice.host();
                    BenchResult r = BenchResult.call(row.step(), "n=" + row.n(), row.detail(), ranOn, row.seconds() * 1000, Double.NaN)
                            .with("cpu_s", row.cpuSeconds()).with("load_average", Double.parseDouble(loadAverage()));
                    for (var v : row.values().entrySet()) r = r.with(v.getKey(), v.getValue());
                    sink.accept(r);
                });
            }
        }
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
