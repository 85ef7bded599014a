package dev.clpipe.bench;

import dev.clpipe.augment.AugmentConfig;
import dev.clpipe.augment.Augmenter;
import dev.clpipe.augment.ColorShiftSpec;
import dev.clpipe.augment.CropSpec;
import dev.clpipe.augment.DeviceBatch;
import dev.clpipe.augment.ElasticSpec;
import dev.clpipe.augment.ImageBatch;
import dev.clpipe.augment.KernelVariant;
import dev.clpipe.augment.MirrorSpec;
import dev.clpipe.augment.RotateSpec;
import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClRuntime;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code clpipe bench augment}: images per second for the training chain mirror + random crop
 * (224 from 256x256) + colour shift on RGB batches already on the device, the same including the
 * host-to-device upload, a 10-degree rotation alone (224x224), RandomResizedCrop and elastic
 * warping; the first and the rotation again with the SIMPLE kernels; and, as the floor, a plain
 * device copy of one batch of outputs. Decoding is excluded. Each case warms up (PoCL compiles per
 * local size on first launch), then runs trials of 5 batches enqueued back to back with one finish
 * each; the best trial is reported (the machine may be shared) next to the mean over all trials.
 * GB/s counts the output bytes written plus as many read (plus the upload), as napkin math
 * against memory bandwidth. Images per CPU-second (process CPU time, PoCL threads included) is the
 * load-independent figure: times the cores PoCL uses, it is the rate on an idle machine.
 */
public final class AugmentBench {
    static final int BATCH = 64;

    /** One measured case. */
    public record Row(String name, String shape, int batch, double imagesPerSecond, double msPerBatch, double gbPerSecond,
            double meanImagesPerSecond, double imagesPerCpuSecond) {}

    private AugmentBench() {}

    /** Runs every case on {@code context}; prints a table, or a JSON array when {@code json}. */
    public static List<Row> run(ClContext context, boolean json, PrintStream out) {
        return run(context, json, out, false);
    }

    public static List<Row> run(ClContext context, boolean json, PrintStream out, boolean quick) {
        double budget = quick ? 0.3 : 2.0;
        String loadAverage = loadAverage(); // the machine may be shared: say how busy it was
        List<Row> rows = new ArrayList<>();
        AugmentConfig chain = new AugmentConfig(List.of(MirrorSpec.horizontal(0.5), CropSpec.fixed(224, 0), new ColorShiftSpec(1, 20)),
                1, 224, 224, 0);
        ImageBatch source256 = randomBatch(BATCH, 256, 256);
        ImageBatch source224 = randomBatch(BATCH, 224, 224);
        AugmentConfig rotate = new AugmentConfig(List.of(new RotateSpec(1, 10)), 1, 224, 224, 0);
        rows.add(copyFloor(context, source224, budget));
        rows.add(measure(context, "mirror+crop224+color_shift", chain, source256, false, KernelVariant.ROWS, budget));
        rows.add(measure(context, "mirror+crop224+color_shift +upload", chain, source256, true, KernelVariant.ROWS, budget));
        rows.add(measure(context, "rotate10", rotate, source224, false, KernelVariant.ROWS, budget));
        AugmentConfig resized = new AugmentConfig(List.of(MirrorSpec.horizontal(0.5),
                CropSpec.resized(dev.clpipe.augment.Range.of(0.08, 1), dev.clpipe.augment.Range.of(0.75, 4.0 / 3)), new ColorShiftSpec(1, 20)),
                1, 224, 224, 0);
        rows.add(measure(context, "mirror+resized_crop+color_shift", resized, source256, false, KernelVariant.ROWS, budget));
        AugmentConfig elastic = new AugmentConfig(List.of(new ElasticSpec(1, 34, 4)), 1, 224, 224, 0);
        rows.add(measure(context, "elastic alpha34 sigma4", elastic, source224, false, KernelVariant.ROWS, quick ? 0.1 : 0.5));
        rows.add(measure(context, "mirror+crop224+color_shift [simple]", chain, source256, false, KernelVariant.SIMPLE, quick ? 0.1 : 0.5));
        rows.add(measure(context, "rotate10 [simple]", rotate, source224, false, KernelVariant.SIMPLE, quick ? 0.1 : 0.5));
        if (out == null) {
            return rows; // the caller reports (clpipe bench augment --json)
        } else if (json) {
            out.println(toJson(rows, context.device().describe(), loadAverage));
        } else {
            out.println("augment bench on " + context.device().describe() + " (batch " + BATCH + ", load average at start: " + loadAverage + ")");
            double floor = rows.get(0).msPerBatch();
            for (Row r : rows) {
                out.printf(Locale.ROOT, "%-38s %-22s %9.0f images/s %9.3f ms/batch %6.2f GB/s %6.1fx floor | mean %6.0f images/s | %6.0f images/CPU-s%n",
                        r.name(), r.shape(), r.imagesPerSecond(), r.msPerBatch(), r.gbPerSecond(), r.msPerBatch() / floor, r.meanImagesPerSecond(),
                        r.imagesPerCpuSecond());
            }
        }
        return rows;
    }

    static Row measure(ClContext context, String name, AugmentConfig config, ImageBatch source, boolean upload, KernelVariant variant,
            double budgetSeconds) {
        int n = source.count();
        long outBytes = (long) n * config.outputHeight() * config.outputWidth() * source.channels();
        try (Augmenter augmenter = new Augmenter(context, config, variant);
                DeviceBatch in = DeviceBatch.upload(context, source);
                DeviceBatch out = DeviceBatch.allocate(context, n, config.outputHeight(), config.outputWidth(), source.channels())) {
            long[] indices = new long[n];
            int[] epoch = {0};
            Runnable step = () -> {
                for (int i = 0; i < n; i++) indices[i] = (long) epoch[0] * n + i; // fresh samples each batch
                if (upload) in.write(context.queue(), source);
                augmenter.apply(in, epoch[0]++, indices, out);
            };
            Trials t = time(context, step, budgetSeconds);
            double best = t.best(), mean = t.mean(), cpu = t.cpu();
            // The copy kernel reads only the crop window: as many source bytes as it writes.
            long bytes = 2 * outBytes + (upload ? (long) source.pixels().length : 0);
            String shape = n + "x" + source.height() + "x" + source.width() + "x" + source.channels()
                    + "->" + config.outputHeight() + "x" + config.outputWidth();
            return new Row(name, shape, n, n / best, best * 1e3, bytes / best / 1e9, n / mean, n / cpu);
        }
    }

    /** Best and mean seconds per step, and CPU seconds this process spent per step (all threads). */
    private record Trials(double best, double mean, double cpu) {}

    /** Warm-up (compile, first touch), then trials of 5 steps with one finish each; the machine is shared, so the best trial counts. */
    private static Trials time(ClContext context, Runnable step, double budgetSeconds) {
        for (int i = 0; i < (budgetSeconds >= 1 ? 3 : 1); i++) step.run(); // compile + first touch
        context.queue().finish();
        long start = System.nanoTime();
        double cpu0 = cpuSeconds();
        double best = Double.MAX_VALUE;
        int trials = 0;
        do {
            long t0 = System.nanoTime();
            for (int i = 0; i < 5; i++) step.run();
            context.queue().finish();
            best = Math.min(best, (System.nanoTime() - t0) / 5e9);
            trials++;
        } while (System.nanoTime() - start < budgetSeconds * 1e9 || trials < (budgetSeconds >= 1 ? 3 : 1));
        return new Trials(best, (System.nanoTime() - start) / 1e9 / (5.0 * trials), (cpuSeconds() - cpu0) / (5.0 * trials));
    }

    /**
     * CPU time of this process (PoCL's worker threads included) from /proc/self/stat, in seconds;
     * unlike wall time it hardly moves when other processes load a shared machine. NaN off Linux.
     */
    static double cpuSeconds() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in USER_HZ ticks
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The floor: a device-side copy of one batch of 224x224 outputs (reads and writes as many bytes as the chain). */
    static Row copyFloor(ClContext context, ImageBatch like, double budgetSeconds) {
        long bytes = like.pixels().length;
        try (ClBuffer a = context.buffer(bytes); ClBuffer b = context.buffer(bytes)) {
            a.write(context.queue(), like.pixels());
            Trials t = time(context, () -> b.copyFrom(context.queue(), a), budgetSeconds);
            String shape = like.count() + "x" + like.height() + "x" + like.width() + "x" + like.channels();
            return new Row("copy floor (clEnqueueCopyBuffer)", shape, like.count(), like.count() / t.best(), t.best() * 1e3,
                    2 * bytes / t.best() / 1e9, like.count() / t.mean(), like.count() / t.cpu());
        }
    }

    /** The 1-minute load average (Linux), or "unknown". */
    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static ImageBatch randomBatch(int count, int height, int width) {
        ImageBatch batch = ImageBatch.allocate(count, height, width, 3);
        new Random(42).nextBytes(batch.pixels());
        return batch;
    }

    static String toJson(List<Row> rows, String device, String loadAverage) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(i == 0 ? "\n  " : ",\n  ").append(String.format(Locale.ROOT,
                    "{\"suite\": \"augment\", \"op\": \"%s\", \"shape\": \"%s\", \"device\": \"%s\", \"load_avg\": \"%s\", \"batch\": %d, "
                            + "\"images_per_s\": %.1f, \"ms_per_batch\": %.4f, \"gb_per_s\": %.3f, \"mean_images_per_s\": %.1f, \"images_per_cpu_s\": %.1f}",
                    r.name(), r.shape(), device.replace("\"", "'"), loadAverage, r.batch(), r.imagesPerSecond(), r.msPerBatch(), r.gbPerSecond(),
                    r.meanImagesPerSecond(), r.imagesPerCpuSecond()));
        }
        return sb.append("\n]").toString();
    }

    /** Developer entry: {@code java -cp ... dev.clpipe.bench.AugmentBench [device] [--json]}. */
    public static void main(String[] args) {
        String device = args.length > 0 && !args[0].startsWith("--") ? args[0] : "cpu";
        boolean json = List.of(args).contains("--json");
        try (ClContext context = ClRuntime.standard().openOne(device)) {
            run(context, json, System.out);
        }
    }
}
