package dev.clpipe.bench;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.parallel.DevicePool;
import dev.clpipe.data.ImageData;
import dev.clpipe.detect.face.Crop;
import dev.clpipe.detect.face.FaceDetector;
import dev.clpipe.detect.face.FaceDetectorOptions;
import dev.clpipe.detect.face.NetInput;
import dev.clpipe.nn.graph.BatchPlan;
import dev.clpipe.nn.graph.DeviceGraph;
import dev.clpipe.nn.io.TfjsFormatException;
import dev.clpipe.nn.io.TinyFaceDetectorWeights;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@code clpipe bench detect}: face-api's tiny face detector on our kernels at input 416 and 224.
 * "net" rows time device runs of a batch (upload, every node enqueued, output read); "detector"
 * rows time {@link FaceDetector#detectAll} on 640x480 photos-sized images (letterboxing, net,
 * decoding, NMS). ms is per image; GFLOP/s counts the convolutions. Without --json the per-node
 * profile of one 416 batch follows. With several devices: the detect-faces stage's work (a
 * {@link DevicePool} of detectors, a batch of 64 photo-sized images cut into pieces) on each device
 * alone and on all together, timed in turn. Needs the face-api models ({@code make models}).
 */
public final class DetectBench implements MultiDeviceSuite {
    private static final int BATCH = 8;
    /** Images per call of the detect-faces stage in the several-device form: the pipeline's default batch. */
    private static final int STAGE_BATCH = 64;

    @Override
    public String name() {
        return "detect";
    }

    @Override
    public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        TinyFaceDetectorWeights weights = loadWeights();
        BenchDevice device = BenchDevice.of(context);
        for (int size : new int[] {416, 224}) {
            FaceDetectorOptions options = FaceDetectorOptions.DEFAULT.withInputSize(size).withBatch(BATCH);
            try (FaceDetector detector = new FaceDetector(context, weights, options)) {
                DeviceGraph net = detector.network();
                double gflop = net.graph().flopsPerSample() / 1e9;
                if (log != null) log.printf(Locale.ROOT, "# tiny face detector, input %d: %.3f GFLOP per image, batch %d, %s%n", size, gflop, BATCH, context.device().describe());
                BatchPlan plan = net.plan(BATCH);
                float[] input = new float[BATCH * net.graph().inputDims().size()];
                Random r = new Random(1);
                for (int i = 0; i < input.length; i++) input[i] = r.nextInt(256);
                double ms = Timer.millis(context.queue(), () -> {
                    plan.upload(input);
                    plan.enqueue();
                    plan.readOutput(0);
                }, quick ? 1 : 3, quick ? 500 : 4000);
                sink.accept(BenchResult.batch("tiny-face-detector net", size + "x" + size + " batch " + BATCH, "upload, forward, read back", device,
                        BATCH, ms, gflop * BATCH / (ms / 1000)).with("gflop_per_image", gflop));

                List<ImageData> images = photos(BATCH * 2);
                sink.accept(letterboxRow(context, images.subList(0, BATCH), size, quick));
                detector.detectAll(images); // warm-up
                int reps = quick ? 1 : 3;
                long t0 = System.nanoTime();
                for (int k = 0; k < reps; k++) detector.detectAll(images);
                double detMs = (System.nanoTime() - t0) / 1e6 / reps / images.size();
                sink.accept(BenchResult.rate("tiny-face-detector detector 640x480", size + "x" + size + " batch " + BATCH,
                        "resize, forward, decode boxes, NMS", device, 1000 / detMs, gflop / (detMs / 1000)).with("gflop_per_image", gflop));
                if (log != null && size == 416) printProfile(plan, log);
            }
        }
    }

    /**
     * The detect-faces stage's work at its defaults (input 416, net batch 8, checked detections of
     * 640x480 images, 64 per stage call cut into pieces by a {@link DevicePool}) on each device alone
     * and on all together, in turn; the median round's ratio of together to the mean device alone is
     * the speed-up.
     */
    @Override
    public Map<String, Object> runTogether(List<ClContext> devices, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        TinyFaceDetectorWeights weights = loadWeights();
        FaceDetectorOptions options = FaceDetectorOptions.DEFAULT.withBatch(BATCH);
        List<ImageData> images = photos(quick ? 2 * BATCH : STAGE_BATCH);
        int rounds = quick ? 1 : 5, calls = quick ? 1 : 2;
        PoolTurns.Measured m = PoolTurns.measure(devices, d -> new FaceDetector(d, weights, options), pool -> PoolTurns.perSecond(pool, images.size(), calls, images.size(),
                        (d, p) -> d.detectChecked(images.subList(p.from(), p.to()))),
                rounds, "detect-faces", log);
        Map<String, Object> report = m.report("detect-faces stage: tiny face detector " + options.inputSize() + ", net batch " + BATCH + ", "
                + images.size() + " images of 640x480 per stage call", devices.size());
        String shape = images.size() + " images 640x480";
        m.rateRows("detect-faces", shape, "", devices, report, sink);
        return report;
    }
    /** The net input of a batch of 640x480 images ({@link NetInput#letterbox} to size x size floats) on one host thread. */
    private static BenchResult letterboxRow(ClContext context, List<ImageData> images, int size, boolean quick) {
        int per = size * size * 3;
        float[] input = new float[images.size() * per];
        double ms = Timer.millis(context.queue(), () -> {
            for (int i = 0; i < images.size(); i++) NetInput.letterbox(images.get(i), Crop.whole(640, 480), size, input, i * per);
        }, quick ? 1 : 3, quick ? 300 : 2000);
        return BenchResult.batch("letterbox (net input)", images.size() + " images 640x480 -> " + size, "host, one thread", BenchDevice.host(),
                images.size(), ms, Double.NaN);
    }

    private static void printProfile(BatchPlan plan, PrintStream log) {
        List<BatchPlan.NodeTime> times = plan.profile();
        double total = times.stream().mapToDouble(BatchPlan.NodeTime::millis).sum();
        log.printf(Locale.ROOT, "# per-node wall time of one batch of %d (waiting after each node): %.1f ms%n", plan.batch(), total);
        for (BatchPlan.NodeTime t : times) {
            log.printf(Locale.ROOT, "  %-22s %-14s %8.2f ms %5.1f%% %s%n", t.name(), t.kind(), t.millis(), 100 * t.millis() / total,
                    t.flops() > 0 ? String.format(Locale.ROOT, "%6.1f GFLOP/s", t.flops() / t.millis() / 1e6) : "");
        }
        for (Map.Entry<String, Double> e : BatchPlan.millisByKind(times).entrySet()) {
            log.printf(Locale.ROOT, "  by kind: %-14s %8.2f ms %5.1f%%%n", e.getKey(), e.getValue(), 100 * e.getValue() / total);
        }
    }

    /** Synthetic 640x480 RGB images with some structure (smooth gradients and blocks). */
    private static List<ImageData> photos(int n) {
        List<ImageData> out = new ArrayList<>();
        Random r = new Random(7);
        for (int k = 0; k < n; k++) {
            int w = 640, h = 480;
            byte[] p = new byte[w * h * 3];
            int bx = r.nextInt(w), by = r.nextInt(h);
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int c = 0; c < 3; c++) {
                int v = (x * (c + 1) / 3 + y / 2 + (Math.abs(x - bx) < 60 && Math.abs(y - by) < 80 ? 90 : 0)) & 255;
                p[(y * w + x) * 3 + c] = (byte) v;
            }
            out.add(new ImageData(w, h, 3, p));
        }
        return out;
    }

    private static TinyFaceDetectorWeights loadWeights() {
        Path folder = FaceApiFolder.checked();
        try {
            return TinyFaceDetectorWeights.load(folder);
        } catch (TfjsFormatException e) {
            throw new IllegalStateException("cannot read the tiny face detector in " + folder + ": " + e.getMessage(), e);
        }
    }
}
