package dev.clpipe.bench;

import dev.clpipe.augment.AugmentConfig;
import dev.clpipe.augment.CropSpec;
import dev.clpipe.augment.MirrorSpec;
import dev.clpipe.cl.ClContext;
import dev.clpipe.data.CachedSamples;
import dev.clpipe.data.FolderSplits;
import dev.clpipe.data.IdxReader;
import dev.clpipe.data.ImageDecoder;
import dev.clpipe.data.LabelledFolder;
import dev.clpipe.data.SampleCache;
import dev.clpipe.data.SampleFormat;
import dev.clpipe.data.SkippedReport;
import dev.clpipe.nn.BatchSource;
import dev.clpipe.nn.CachedBatchSource;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.DeviceSources;
import dev.clpipe.nn.LrSchedule;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Models;
import dev.clpipe.nn.OptimizerSpec;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code clpipe bench folder}: LeNet-5 training (batch 128, SGD) from a labelled PNG folder beside
 * the same model trained from IDX data held on the device, in the same run and interleaved (the
 * machine is shared): epoch 1 from the folder decodes into a fresh sample cache (decode + train
 * time), later epochs read the cache, with and without mirror + crop (padding 2) augmentation on the
 * device (its cost beside the plain cached epochs). Folders: {@code -Dclpipe.bench.folder} (default
 * data/fashion-mnist-png, written by make data) and {@code -Dclpipe.bench.idx} (default
 * data/fashion-mnist).
 *
 * <p>With several devices ({@code --device 0:0/2}, {@link #runTogether}): LeNet-5 trained from the
 * folder's sample cache on each device alone and on all of them in data parallel, each replica
 * streaming its own slice of every batch, timed in turn as {@code bench train} times IDX data
 * (batch 256 and 128, Adam, epochs of 15,360 images), so the two suites' speed-ups compare.
 */
public final class FolderBench implements MultiDeviceSuite {
    private static final int BATCH = 128;

    @Override
    public String name() {
        return "folder";
    }

    @Override
    public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        Path folder = Path.of(System.getProperty("clpipe.bench.folder", "data/fashion-mnist-png"));
        Path idx = Path.of(System.getProperty("clpipe.bench.idx", "data/fashion-mnist"));
        int images = quick ? 20 * BATCH : 240 * BATCH;
        ModelSpec model = Models.lenet5();
        TrainSettings settings = new TrainSettings(BATCH, 1000, OptimizerSpec.sgd(0.05, 0.9, 5e-4), LrSchedule.constant(), 1, 50);
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        Path cache = null;
        try {
            Dataset inMemory = idx(idx, images, model.input());
            LabelledFolder part = spread(folder, images);
            cache = Files.createTempDirectory("clpipe-folder-bench");
            if (log != null) log.printf("LeNet-5, batch %d, %d images from %s (PNG) and %s (IDX) on %s; load average %.1f%n", BATCH, images, folder, idx,
                    context.device().describe(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            try (Trainer idxTrainer = new Trainer(context, model, settings); DeviceDataset idxData = new DeviceDataset(context, inMemory, 0.286f, 0.353f);
                    Trainer folderTrainer = new Trainer(context, model, settings)) {
                idxTrainer.trainEpoch(idxData, n -> { }, () -> false); // warm-up: kernels built, buffers touched
                long t0 = System.nanoTime();
                CachedSamples samples = decode(folder, part, cache, pool);
                double decodeSeconds = (System.nanoTime() - t0) / 1e9;
                AugmentConfig mirrorCrop = AugmentConfig.of(1, 28, MirrorSpec.horizontal(0.5), CropSpec.fixed(28, 2));
                try (BatchSource folderData = new CachedBatchSource(context, samples, BATCH, 0.286f, 0.353f);
                        BatchSource augmented = new CachedBatchSource(context, samples, BATCH, 0.286f, 0.353f, mirrorCrop)) {
                    double first = seconds(folderTrainer, folderData);
                    seconds(folderTrainer, augmented); // warm-up: the augment kernels built
                    List<Double> idxRuns = new ArrayList<>(), folderRuns = new ArrayList<>(), augmentedRuns = new ArrayList<>();
                    double wait0 = folderData.dataWaitSeconds(), augmentedWait0 = augmented.dataWaitSeconds();
                    for (int r = 0; r < 2; r++) {
                        idxRuns.add(seconds(idxTrainer, idxData));
                        folderRuns.add(seconds(folderTrainer, folderData));
                        augmentedRuns.add(seconds(folderTrainer, augmented));
                    }
                    double waitFraction = (folderData.dataWaitSeconds() - wait0) / folderRuns.stream().mapToDouble(Double::doubleValue).sum();
                    double augmentedWait = (augmented.dataWaitSeconds() - augmentedWait0) / augmentedRuns.stream().mapToDouble(Double::doubleValue).sum();
                    double augmentedRate = images / augmentedRuns.stream().min(Comparator.naturalOrder()).orElseThrow();
                    double idxRate = images / idxRuns.stream().min(Comparator.naturalOrder()).orElseThrow();
                    double cachedRate = images / folderRuns.stream().min(Comparator.naturalOrder()).orElseThrow();
                    double firstRate = images / (decodeSeconds + first);
                    BenchDevice device = BenchDevice.of(context);
                    sink.accept(BenchResult.batch("lenet5 train, in-memory IDX", "batch " + BATCH, "fastest epoch", device,
                            BATCH, 1000.0 * BATCH / idxRate, Double.NaN));
                    sink.accept(BenchResult.batch("lenet5 train, folder epoch 1", "batch " + BATCH, "decode + first epoch", device,
                            BATCH, 1000.0 * BATCH / firstRate, Double.NaN).with("decode_s", decodeSeconds));
                    sink.accept(BenchResult.batch("lenet5 train, folder cached epochs", "batch " + BATCH, "fastest cached epoch", device,
                            BATCH, 1000.0 * BATCH / cachedRate, Double.NaN).with("ratio_to_idx_x", cachedRate / idxRate)
                            .with("data_wait_fraction", waitFraction));
                    sink.accept(BenchResult.batch("lenet5 train, folder cached + mirror/crop on the device", "batch " + BATCH, "fastest augmented epoch",
                            device, BATCH, 1000.0 * BATCH / augmentedRate, Double.NaN).with("ratio_to_cached_x", augmentedRate / cachedRate)
                            .with("data_wait_fraction", augmentedWait));
                    if (log != null) log.printf("epochs (s): IDX %s, folder first %.2f + decode %.2f, folder cached %s, augmented %s; data wait %.1f%% of cached epochs, "
                            + "%.1f%% of augmented ones%n", idxRuns, first, decodeSeconds, folderRuns, augmentedRuns, 100 * waitFraction, 100 * augmentedWait);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage() + " (make data writes data/fashion-mnist-png; or set -Dclpipe.bench.folder / -Dclpipe.bench.idx)", e);
        } finally {
            pool.shutdownNow();
            if (cache != null) deleteTree(cache);
        }
    }

    @Override
    public Map<String, Object> runTogether(List<ClContext> devices, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
        Path folder = Path.of(System.getProperty("clpipe.bench.folder", "data/fashion-mnist-png"));
        int images = quick ? 8 * 256 : 60 * 256;
        int rounds = quick ? 1 : Integer.getInteger("clpipe.bench.rounds", 7);
        ModelSpec model = Models.lenet5();
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        Path cache = null;
        try {
            LabelledFolder part = spread(folder, images);
            cache = Files.createTempDirectory("clpipe-folder-bench");
            long t0 = System.nanoTime();
            CachedSamples samples = decode(folder, part, cache, pool);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", model.name());
            report.put("folder", folder.toString());
            report.put("images", images);
            report.put("decode_s", (System.nanoTime() - t0) / 1e9);
            report.put("device_count", devices.size());
            List<Map<String, Object>> batches = new ArrayList<>();
            for (int batch : new int[] {256, 128}) {
                TrainSettings settings = new TrainSettings(batch, 1000, OptimizerSpec.adam(1e-3, 0), LrSchedule.constant(), 1, 1 << 20);
                DeviceSources data = new DeviceSources(d -> new CachedBatchSource(d, samples, batch, 0.286f, 0.353f),
                        d -> new CachedBatchSource(d, samples, batch, 0.286f, 0.353f));
                batches.add(TrainBench.alternating("lenet5 train step from a folder", model, settings, data, rounds, devices, sink, log));
            }
            report.put("batches", batches);
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage() + " (make data writes data/fashion-mnist-png; or set -Dclpipe.bench.folder)", e);
        } finally {
            pool.shutdownNow();
            if (cache != null) deleteTree(cache);
        }
    }

    /** {@code images} of the folder's training PNGs, spread over its classes. */
    private static LabelledFolder spread(Path folder, int images) throws IOException {
        LabelledFolder all = FolderSplits.read(folder, Optional.empty(), 0, 0, Set.of("png"), new SkippedReport(), null).train();
        if (all.count() < images) throw new IOException(folder + " has " + all.count() + " training images; the bench needs " + images);
        return all.spread(images);
    }

    /** {@code part} decoded into a fresh sample cache under {@code cache}, 28x28 grey as LeNet-5 takes it. */
    private static CachedSamples decode(Path folder, LabelledFolder part, Path cache, ExecutorService pool) throws IOException {
        return new SampleCache(cache, "bench", folder, new SampleFormat(28, 28, 1), new ImageDecoder(), pool).open(part, new SkippedReport(), message -> { });
    }

    private static double seconds(Trainer trainer, BatchSource data) {
        long t0 = System.nanoTime();
        trainer.trainEpoch(data, n -> { }, () -> false);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Dataset idx(Path folder, int images, Shape shape) throws IOException {
        IdxReader.Labelled l = IdxReader.readLabelled(IdxReader.locate(folder, "train-images-idx3-ubyte"), IdxReader.locate(folder, "train-labels-idx1-ubyte"));
        int[] labels = new int[l.count()];
        for (int i = 0; i < labels.length; i++) labels[i] = l.label(i);
        return new Dataset("idx", l.images().data(), labels, shape, 10).head(images);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temp folder; the OS cleans it
        }
    }
}
