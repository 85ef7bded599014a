package dev.clpipe.bench;

import dev.clpipe.augment.AugmentConfig;
import dev.clpipe.augment.Augmenter;
import dev.clpipe.augment.ColorShiftSpec;
import dev.clpipe.augment.CropSpec;
import dev.clpipe.augment.ImageBatch;
import dev.clpipe.augment.MirrorSpec;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.parallel.DevicePool;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code clpipe bench augment}: {@link AugmentBench}'s rows as bench results (images/s in the
 * variant column); with several devices, the augment stage's way of using them (a
 * {@link DevicePool}) on each device alone and on all, timed in turn.
 */
public final class AugmentSuite implements MultiDeviceSuite {
    private static final int BATCH = 64;
    @Override
    public String name() {
        return "augment";
    }

    @Override
    public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        BenchDevice device = BenchDevice.of(context);
        if (log != null) log.println("# " + context.device().describe() + (quick ? " (quick)" : ""));
        for (AugmentBench.Row r : AugmentBench.run(context, false, null, quick)) {
            sink.accept(BenchResult.batch(r.name(), r.shape(), "device kernels", device, (int) Math.round(r.imagesPerSecond() * r.msPerBatch() / 1000), r.msPerBatch(), Double.NaN));
        }
        // Decoding is host work; it is measured here because it bounds every folder job's rate.
        List<byte[]> photos = DecodeBench.jpegs(Path.of(System.getProperty("clpipe.bench.photos", "data/photos")));
        if (photos.isEmpty()) {
            if (log != null) log.println("# decode rows skipped: no JPEGs under data/photos (make data, or -Dclpipe.bench.photos=DIR)");
            return;
        }
        for (boolean parallel : new boolean[] {false, true}) {
            DecodeBench.Rate rate = DecodeBench.measure(photos, parallel, quick ? 0.5 : 3);
            sink.accept(BenchResult.rate("decode JPEG (" + rate.threads() + " thread" + (rate.threads() > 1 ? "s" : "") + ")",
                    rate.photos() + " real photos", "ImageDecoder", BenchDevice.host(), rate.imagesPerSecond(), Double.NaN)
                    .with("mp_per_s", rate.megapixelsPerSecond()));
        }
    }

    /**
     * The augment stage's work (upload, mirror + crop 224 + colour shift, download of a batch of
     * 64 RGB 256x256 images, cut into pieces over the devices by a {@link DevicePool}) on each
     * device alone and on all of them, timed in turn for several rounds; the median round's ratio
     * of together to the mean single device is the speed-up.
     */
    @Override
    public Map<String, Object> runTogether(List<ClContext> devices, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        AugmentConfig chain = new AugmentConfig(List.of(MirrorSpec.horizontal(0.5), CropSpec.fixed(224, 0), new ColorShiftSpec(1, 20)), 1, 224, 224, 0);
        ImageBatch source = AugmentBench.randomBatch(BATCH, 256, 256);
        int batches = quick ? 2 : 8, rounds = quick ? 1 : 5;
        PoolTurns.Measured m = PoolTurns.measure(devices, d -> new Augmenter(d, chain), pool -> imagesPerSecond(pool, source, batches),
                rounds, "augment", log);
        Map<String, Object> report = m.report("upload + mirror+crop224+color_shift + download, batch " + BATCH + " of 256x256 RGB", devices.size());
        sink.accept(BenchResult.batch("augment stage, one device", "batch " + BATCH, "mean of the devices alone, median round",
                BenchDevice.group(devices, "each alone"), BATCH, 1000.0 * BATCH / m.meanAlone(), Double.NaN));
        sink.accept(m.turns().withSpeedups(BenchResult.batch("augment stage, device pool", "batch " + BATCH, "all devices together, median round",
                BenchDevice.group(devices, "together"), BATCH, 1000.0 * BATCH / m.turns().together(), Double.NaN))
                .withDetails(report));
        return report;
    }

    /** Images per second of {@code batches} batches; the pieces' host copies are cut before the clock starts. */
    private static double imagesPerSecond(DevicePool<Augmenter> pool, ImageBatch source, int batches) {
        List<DevicePool.Piece> pieces = pool.pieces(source.count());
        Map<DevicePool.Piece, ImageBatch> slices = new LinkedHashMap<>();
        int perImage = source.height() * source.width() * source.channels();
        for (DevicePool.Piece p : pieces) {
            slices.put(p, new ImageBatch(p.size(), source.height(), source.width(), source.channels(),
                    Arrays.copyOfRange(source.pixels(), p.from() * perImage, p.to() * perImage)));
        }
        long t0 = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            int epoch = b;
            PoolTurns.call(pool, source.count(),
                    (augmenter, p) -> augmenter.apply(slices.get(p), epoch, java.util.stream.LongStream.range(p.from(), p.to()).toArray()));
        }
        return (double) batches * source.count() / ((System.nanoTime() - t0) / 1e9);
    }
}
