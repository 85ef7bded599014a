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
import dev.clpipe.nn.LrSchedule;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Models;
import dev.clpipe.nn.OptimizerSpec;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 */
public final class FolderBench implements BenchSuite {
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
            LabelledFolder all = FolderSplits.read(folder, Optional.empty(), 0, 0, Set.of("png"), new SkippedReport(), null).train();
            if (all.count() < images) throw new IOException(folder + " has " + all.count() + " training images; the bench needs " + images);
            LabelledFolder part = all.spread(images);
            cache = Files.createTempDirectory("clpipe-folder-bench");
            if (log != null) log.printf("LeNet-5, batch %d, %d images from %s (PNG) and %s (IDX) on %s; load average %.1f%n", BATCH, images, folder, idx,
                    context.device().describe(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            try (Trainer idxTrainer = new Trainer(context, model, settings); DeviceDataset idxData = new DeviceDataset(context, inMemory, 0.286f, 0.353f);
                    Trainer folderTrainer = new Trainer(context, model, settings)) {
                idxTrainer.trainEpoch(idxData, n -> { }, () -> false); // warm-up: kernels built, buffers touched
                long t0 = System.nanoTime();
                CachedSamples samples = new SampleCache(cache, "bench", folder, new SampleFormat(28, 28, 1), new ImageDecoder(), pool)
                        .open(part, new SkippedReport(), message -> { });
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
                    String device = context.device().describe();
                    sink.accept(new BenchResult("lenet5 train, in-memory IDX", "batch " + BATCH, String.format("%.0f images/s", idxRate), device,
                            1000.0 * BATCH / idxRate, 0));
                    sink.accept(new BenchResult("lenet5 train, folder epoch 1", "batch " + BATCH, String.format("%.0f images/s (decode %.1f s)", firstRate,
                            decodeSeconds), device, 1000.0 * BATCH / firstRate, 0));
                    sink.accept(new BenchResult("lenet5 train, folder cached epochs", "batch " + BATCH, String.format("%.0f images/s, %.2fx IDX", cachedRate,
                            cachedRate / idxRate), device, 1000.0 * BATCH / cachedRate, 0));
                    sink.accept(new BenchResult("lenet5 train, folder cached + mirror/crop on the device", "batch " + BATCH,
                            String.format("%.0f images/s, %.2fx cached", augmentedRate, augmentedRate / cachedRate), device, 1000.0 * BATCH / augmentedRate, 0));
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
