package dev.clpipe.pipeline.stages;

import dev.clpipe.cl.ClContext;
import dev.clpipe.config.ConfigException;
import dev.clpipe.data.CachedSamples;
import dev.clpipe.data.FolderSplits;
import dev.clpipe.nn.BatchSource;
import dev.clpipe.nn.CachedBatchSource;
import dev.clpipe.nn.Checkpoints;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.DeviceFeatures;
import dev.clpipe.nn.DeviceSources;
import dev.clpipe.nn.Evaluation;
import dev.clpipe.nn.FeatureCache;
import dev.clpipe.nn.Features;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.TrainableModel;
import dev.clpipe.nn.train.EpochStats;
import dev.clpipe.nn.train.GroupReplicaSession;
import dev.clpipe.nn.train.ReplicatedTrainer;
import dev.clpipe.nn.train.SingleDeviceSession;
import dev.clpipe.nn.train.Trainer;
import dev.clpipe.nn.train.TrainingSession;
import dev.clpipe.pipeline.Job;
import dev.clpipe.pipeline.Placement;
import dev.clpipe.pipeline.StageContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The running part of {@code type: train}: loads IDX data onto the device (or streams a labelled
 * folder from its decoded-sample cache, see {@link FolderData}), on one device or on several in
 * data parallel (each device streams its slice of every batch), restores the latest
 * checkpoint when the run is resumed, then per epoch trains, evaluates, records metrics and
 * checkpoints, loss.png and accuracy.png (curves per epoch). metrics.json gets {@code train.epochs}, {@code test} (final loss, accuracy,
 * confusion, per-epoch history) and {@code training} (time, rate, sync fraction), at the top level for the stage
 * called train, else under the stage's id. With {@code transfer} it starts from a checkpoint (see {@link Transfer}).
 */
final class TrainJob implements Job {
    private static final Logger LOG = LogManager.getLogger(TrainJob.class);

    /**
     * {@code folder}: how to read {@code data} when it is a labelled folder; {@code dataError},
     * {@code modelError}: config errors at the stage's data and model keys; {@code checkpointInfo}:
     * what every checkpoint's index.json records besides (an imported graph's new head).
     */
    record Options(Path data, TrainableModel model, TrainSettings settings, float mean, float std, int limitTrain, int limitTest, int keepCheckpoints,
            Optional<Transfer> transfer, Placement placement, int rebalanceEvery, FolderData folder, Function<String, ConfigException> dataError,
            Function<String, ConfigException> modelError, Map<String, Object> checkpointInfo) {}

    private final String id;
    private final Options o;
    private List<Map<String, Object>> trainHistory = List.of();
    private List<Map<String, Object>> testHistory = List.of();
    private Evaluation last;
    private final Map<String, Object> transferMetrics = new LinkedHashMap<>();
    private final Map<String, Object> dataMetrics = new LinkedHashMap<>();
    private List<String> classNames = List.of();
    private int trainCount;
    private int testCount;

    TrainJob(String id, Options options) {
        this.id = id;
        this.o = options;
    }

    /** Checkpoint folder of train stage {@code id} in the run folder: "checkpoints" for the stage called train, else "checkpoints-ID". */
    static String checkpointsFolder(String id) {
        return id.equals("train") ? "checkpoints" : "checkpoints-" + id;
    }

    @Override
    public void run(StageContext context) throws Exception {
        List<ClContext> devices = context.devices(o.placement().device());
        TrainSettings s = o.settings();
        if (o.transfer().isPresent() && devices.size() > 1) {
            throw new IllegalArgumentException("stage " + id + ": transfer learning runs on one device, but device: " + o.placement().device()
                    + " selects " + devices.size() + "; name one device");
        }
        if (o.transfer().isPresent() && context.replicaGroup().isPresent()) {
            throw new IllegalArgumentException("stage " + id + ": transfer learning runs on one device, not in a data-parallel group (Spark barrier training)");
        }
        try (TrainingSession trainer = FolderData.isIdx(o.data()) ? idxSession(context, devices) : folderSession(context, devices)) {
            if (trainer instanceof GroupReplicaSession member && context.replicaGroup().get().rank() > 0) {
                member.follow(); // the leader (member 0) evaluates, checkpoints and records
                return;
            }
            LOG.info("{}: {} ({} parameters) on {}; {} train / {} test images, batch {}, {} epochs, {} lr {}",
                    id, o.model().name(), o.model().parameterCount(), trainer.describe(), trainCount, testCount, s.batch(),
                    s.epochs(), s.optimizer().kind().name().toLowerCase(), s.optimizer().lr());
            train(context, trainer);
        }
    }

    private TrainingSession idxSession(StageContext context, List<ClContext> devices) throws Exception {
        int classes = o.model().output().size();
        Dataset trainData = IdxDatasets.read(o.data(), "train", classes, o.limitTrain());
        Dataset testData = IdxDatasets.read(o.data(), "t10k", classes, o.limitTest());
        if (!trainData.shape().equals(o.model().input())) {
            throw o.dataError().apply(FolderData.inputMismatch(o.model(), trainData.shape().toString(), o.data() + " holds"));
        }
        trainCount = trainData.count();
        testCount = testData.count();
        if (o.folder().views().train().isPresent()) return session(context, devices, augmentedIdx(trainData, testData));
        if (o.transfer().isPresent()) return transferSession(context, devices.get(0), trainData, testData);
        return session(context, devices, DeviceSources.uploaded(trainData, testData, o.mean(), o.std()));
    }

    /**
     * A session over {@code data} on {@code devices}: one device, several in data parallel
     * ({@link ReplicatedTrainer}, each device with its own sources from {@code data}), or one member
     * of a group in other processes when the context joined one.
     */
    private TrainingSession session(StageContext context, List<ClContext> devices, DeviceSources data) throws Exception {
        if (context.replicaGroup().isPresent()) return groupSession(devices, data, context.replicaGroup().get());
        if (devices.size() > 1) {
            if (o.model() instanceof TrainableModel.Imported) throw o.modelError().apply("an imported model fine-tunes on one device; name one device (device: cpu)");
            return new ReplicatedTrainer(devices, spec(), o.settings(), data, o.placement().faultPlan(), o.rebalanceEvery());
        }
        return SingleDeviceSession.of(devices.get(0), trainer(devices.get(0)), data);
    }

    /** The zoo model (transfer, several devices and data-parallel groups take only those). */
    private ModelSpec spec() {
        return ((TrainableModel.Zoo) o.model()).spec();
    }

    /**
     * A trainer of the model: a zoo model from the seed, an imported graph from its own weights
     * (fine-tuning). A node the training plan cannot differentiate is a config error at the model key naming it.
     */
    private Trainer trainer(ClContext device) {
        Network network;
        try {
            network = o.model().network(device, o.settings().batch(), o.settings().seed());
        } catch (IllegalArgumentException e) {
            throw o.modelError().apply("model " + o.model().name() + " cannot train: node " + e.getMessage() + " (it still runs in predict and model run)");
        }
        return new Trainer(device, network, o.settings());
    }

    /** One member of a data-parallel group in other processes (a Spark barrier task): the first device, the even split. */
    private TrainingSession groupSession(List<ClContext> devices, DeviceSources data, GroupReplicaSession.Exchange group) {
        if (o.model() instanceof TrainableModel.Imported) {
            throw o.modelError().apply("an imported model fine-tunes on one device, not in a data-parallel group (Spark barrier training); train it with 'clpipe run'");
        }
        if (devices.size() > 1) LOG.warn("{}: a group member trains on one device; using {} of the {} selected", id, devices.get(0).device().describe(), devices.size());
        return new GroupReplicaSession(devices.get(0), spec(), o.settings(), data, group);
    }

    /**
     * IDX data with {@code augment:}: training batches copied from the images in memory through the
     * augment kernels on the device ({@link CachedBatchSource} over {@link Dataset#rows}), drawn per
     * sample per epoch from (seed, epoch, index) as for a folder; the test set stays on the device.
     */
    private DeviceSources augmentedIdx(Dataset trainData, Dataset testData) {
        if (o.transfer().isPresent()) throw o.dataError().apply("augment: trains without transfer; leave augment or transfer out");
        dataMetrics.putAll(o.folder().views().toJson());
        return new DeviceSources(d -> new CachedBatchSource(d, trainData.rows(), o.settings().batch(), o.mean(), o.std(), o.folder().views().train().orElseThrow()),
                d -> new DeviceDataset(d, testData, o.mean(), o.std()));
    }

    /** A labelled folder: splits, decoded-sample caches, and batches streamed from them on each device. */
    private TrainingSession folderSession(StageContext context, List<ClContext> devices) throws Exception {
        FolderData folder = o.folder();
        if (o.transfer().isPresent()) {
            throw o.dataError().apply("training from a labelled folder runs without transfer; leave transfer out or use IDX data");
        }
        FolderSplits splits = folder.splits(context, null);
        FolderData.checkClasses(splits, o.model(), o.data(), o.dataError());
        classNames = splits.classes();
        CachedSamples trainSamples = folder.open(context, o.limitTrain() > 0 ? "train-limit" + o.limitTrain() : "train", splits.train().spread(o.limitTrain()));
        CachedSamples testSamples = folder.open(context, o.limitTest() > 0 ? "test-limit" + o.limitTest() : "test", splits.test().spread(o.limitTest()));
        trainCount = trainSamples.count();
        testCount = testSamples.count();
        dataMetrics.put("layout", splits.layout());
        dataMetrics.put("classes", classNames);
        dataMetrics.put("train_images", trainCount);
        dataMetrics.put("test_images", testCount);
        dataMetrics.put("skipped_files", context.skipped().size());
        dataMetrics.put("sample_format", folder.format().toString());
        dataMetrics.putAll(folder.views().toJson());
        dataMetrics.put("warnings", splits.warnings());
        dataMetrics.put("cache", Map.of("train", trainSamples.report().toJson(), "test", testSamples.report().toJson()));
        int batch = o.settings().batch();
        return session(context, devices, new DeviceSources(d -> new CachedBatchSource(d, trainSamples, batch, o.mean(), o.std(), folder.views().train().orElse(null)),
                d -> new CachedBatchSource(d, testSamples, batch, o.mean(), o.std(), folder.views().eval().orElse(null))));
    }

    private void train(StageContext context, TrainingSession trainer) throws Exception {
        TrainSettings s = o.settings();
        EpochTraining<EpochStats> epochs = new EpochTraining<>(id, context.runFolder().file(checkpointsFolder(id)), o.keepCheckpoints(), s.epochs(),
                s.batch(), List.of("train_history", "test_history"));
        trainHistory = epochs.history("train_history");
        testHistory = epochs.history("test_history");
        epochs.run(context, trainer, new EpochTraining.Steps<>() {
            private double wait0;

            @Override
            public void beforeEpoch(int epoch) {
                wait0 = trainer.dataWaitSeconds();
            }

            @Override
            public void afterEpoch(int epoch, EpochStats stats, Map<String, Object> extra) {
                context.metrics().countItems(id, stats.images());
                last = trainer.evaluate();
                LOG.info(String.format("epoch %d/%d: train loss %.4f acc %.2f%% | test loss %.4f acc %.2f%% | %.1f s, %.0f img/s, lr %.3g",
                        epoch + 1, s.epochs(), stats.loss(), 100 * stats.accuracy(), last.loss(), 100 * last.accuracy(),
                        stats.seconds(), stats.imagesPerSecond(), stats.lr()));
                Map<String, Object> epochJson = stats.toJson();
                if (!dataMetrics.isEmpty()) epochJson.put("data_wait_fraction", stats.seconds() > 0 ? (trainer.dataWaitSeconds() - wait0) / stats.seconds() : 0);
                trainHistory.add(epochJson);
                Map<String, Object> t = last.toJson(false);
                t.put("epoch", epoch + 1);
                testHistory.add(t);
                if (!classNames.isEmpty()) extra.put("classes", classNames);
                extra.putAll(o.checkpointInfo());
            }

            @Override
            public void recorded(Path checkpoint, double seconds, long images) throws Exception {
                record(context, last, trainer, seconds, images, checkpoint);
                TrainingCurves.write(context.runFolder().path(), trainHistory, testHistory);
            }
        });
        if (last == null && !testHistory.isEmpty()) last = trainer.evaluate();
        if (last != null) {
            record(context, last, trainer, epochs.seconds(), epochs.images(), Checkpoints.latest(epochs.checkpoints()).orElse(null));
            TrainingCurves.writeConfusion(context.runFolder().path().resolve("confusion.png"), id + ": confusion on the test set", last, classNames);
            LOG.info(String.format("%s: final test accuracy %.2f%% (loss %.4f) after %d epochs", id, 100 * last.accuracy(), last.loss(), trainer.epoch()));
        }
    }

    private static void closeAll(List<AutoCloseable> owned) throws Exception {
        for (int i = owned.size() - 1; i >= 0; i--) owned.get(i).close();
    }

    /**
     * Transfer: the checkpoint's first layers, some frozen. Without a feature cache the whole
     * network trains with its frozen layers fixed; with it, a network of only the head trains on
     * the frozen layers' features (computed once, kept on disk) and the frozen parameters are
     * saved beside the head's, so every checkpoint holds the whole model.
     */
    private TrainingSession transferSession(StageContext context, ClContext device, Dataset trainData, Dataset testData) throws Exception {
        Transfer t = o.transfer().orElseThrow();
        Path from = t.checkpoint(context.runFolder());
        TrainSettings s = o.settings();
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            if (!t.cacheFeatures()) {
                Trainer trainer = track(owned, new Trainer(device, spec(), s, t.freeze()));
                Checkpoints.loadLayers(from, trainer.network(), t.reuse());
                LOG.info("{}: layers 1-{} from {}, {} frozen; {} trainable tensors", id, t.reuse(), from, t.freeze(), trainer.network().trainable().size());
                BatchSource train = track(owned, new DeviceDataset(device, trainData, o.mean(), o.std()));
                BatchSource test = track(owned, new DeviceDataset(device, testData, o.mean(), o.std()));
                transferMetrics.putAll(Map.of("from", from.toString(), "reuse", t.reuse(), "freeze", t.freeze(), "cached_features", false));
                return new SingleDeviceSession(device, trainer, train, test, List.of(), owned);
            }
            Network frozen = track(owned, new Network(device, spec(), s.batch(), s.seed()));
            Checkpoints.loadLayers(from, frozen, t.reuse());
            frozen.freeze(t.freeze());
            long t0 = System.nanoTime();
            FeatureCache cache = new FeatureCache(t.cacheDir());
            Features trainFeatures = features(cache, frozen, trainData, device);
            Features testFeatures = features(cache, frozen, testData, device);
            double featureSeconds = (System.nanoTime() - t0) / 1e9;
            ModelSpec model = spec();
            ModelSpec head = ModelSpec.of(model.name() + "-head", model.inputOf(t.freeze()), model.layers().subList(t.freeze(), model.layers().size()));
            Trainer trainer = track(owned, new Trainer(device, head, s));
            Checkpoints.loadLayers(from, trainer.network(), t.reuse() - t.freeze());
            BatchSource train = track(owned, new DeviceFeatures(device, trainFeatures));
            BatchSource test = track(owned, new DeviceFeatures(device, testFeatures));
            LOG.info(String.format("%s: layers 1-%d from %s, %d frozen; the head (%s) trains on cached %s features (%.1f s to get them)",
                    id, t.reuse(), from, t.freeze(), head.layers().size() + " layers", head.input(), featureSeconds));
            transferMetrics.putAll(Map.of("from", from.toString(), "reuse", t.reuse(), "freeze", t.freeze(), "cached_features", true,
                    "feature_seconds", featureSeconds, "feature_shape", head.input().toString()));
            return new SingleDeviceSession(device, trainer, train, test, frozen.paramsOf(0, t.freeze()), owned);
        } catch (Exception | Error e) {
            closeAll(owned);
            throw e;
        }
    }

    private Features features(FeatureCache cache, Network frozen, Dataset data, ClContext device) throws Exception {
        String key = FeatureCache.key(frozen, data, o.mean(), o.std());
        FeatureCache.Result r = cache.get(key, () -> {
            try (DeviceDataset images = new DeviceDataset(device, data, o.mean(), o.std())) {
                return Features.extract(frozen, images);
            }
        });
        if (r.how().startsWith("rebuilt")) LOG.warn("{}: feature cache {} was unusable and is {}", id, r.folder(), r.how());
        else LOG.info("{}: {} features of {} images: {} ({})", id, data.name(), data.count(), r.how(), r.folder());
        transferMetrics.put(data.name() + "_features", r.how());
        return r.features();
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> owned, T resource) {
        owned.add(resource);
        return resource;
    }

    private void record(StageContext context, Evaluation test, TrainingSession trainer, double seconds, long images, Path checkpoint) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("train", Map.of("epochs", List.copyOf(trainHistory)));
        Map<String, Object> t = test.toJson(true);
        if (!classNames.isEmpty()) t.put("classes", classNames);
        t.put("epochs", List.copyOf(testHistory));
        out.put("test", t);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("model", o.model().name());
        run.put("parameters", o.model().parameterCount());
        run.put("epochs_done", trainer.epoch());
        run.put("steps", trainer.step());
        run.put("seconds", seconds);
        run.put("images_per_s", seconds > 0 ? images / seconds : 0);
        run.put("sync_wait_fraction", seconds > 0 ? trainer.syncSeconds() / seconds : 0);
        run.put("data_on_device", dataMetrics.isEmpty()); // IDX: batches are gathered on the device, it never waits for data
        if (!dataMetrics.isEmpty()) {
            run.put("data_wait_fraction", seconds > 0 ? trainer.dataWaitSeconds() / seconds : 0);
            out.put("data", new LinkedHashMap<>(dataMetrics));
        }
        if (checkpoint != null) run.put("checkpoint", checkpoint.toAbsolutePath().toString());
        if (!transferMetrics.isEmpty()) run.put("transfer", new LinkedHashMap<>(transferMetrics));
        out.put("training", run);
        Map<String, Object> parallel = trainer.deviceMetrics();
        if (!parallel.isEmpty()) out.put("data_parallel", parallel);
        out.forEach(context.metrics()::put); // under stages.<id> of metrics.json
    }
}
