package dev.clpipe.pipeline.stages;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Checkpoints;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.EpochStats;
import dev.clpipe.nn.Evaluation;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.ReplicatedTrainer;
import dev.clpipe.nn.SingleDeviceSession;
import dev.clpipe.nn.TrainingSession;
import dev.clpipe.pipeline.Job;
import dev.clpipe.pipeline.Placement;
import dev.clpipe.pipeline.Progress;
import dev.clpipe.pipeline.StageContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The running part of {@code type: train}: loads the data onto the device, restores the latest
 * checkpoint when the run is resumed, then per epoch trains, evaluates, records metrics and
 * checkpoints, loss.png and accuracy.png (curves per epoch). metrics.json gets {@code train.epochs}, {@code test} (final loss, accuracy,
 * confusion, per-epoch history) and {@code training} (time, rate, sync fraction).
 */
final class TrainJob implements Job {
    private static final Logger LOG = LogManager.getLogger(TrainJob.class);

    record Options(Path data, ModelSpec model, TrainSettings settings, float mean, float std, int limitTrain, int limitTest, int keepCheckpoints,
            Placement placement, int rebalanceEvery) {}

    private final String id;
    private final Options o;
    private final List<Map<String, Object>> trainHistory = new ArrayList<>();
    private final List<Map<String, Object>> testHistory = new ArrayList<>();

    TrainJob(String id, Options options) {
        this.id = id;
        this.o = options;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run(StageContext context) throws Exception {
        int classes = o.model().output().size();
        Dataset trainData = IdxDatasets.read(o.data(), "train", classes, o.limitTrain());
        Dataset testData = IdxDatasets.read(o.data(), "t10k", classes, o.limitTest());
        if (!trainData.shape().equals(o.model().input())) {
            throw new IllegalArgumentException("model " + o.model().name() + " expects input " + o.model().input() + " but " + o.data() + " holds " + trainData.shape() + " images");
        }
        List<ClContext> devices = context.devices(o.placement().device());
        Path checkpoints = context.runFolder().file("checkpoints");
        TrainSettings s = o.settings();
        try (TrainingSession trainer = devices.size() == 1
                ? new SingleDeviceSession(devices.get(0), o.model(), s, trainData, testData, o.mean(), o.std())
                : new ReplicatedTrainer(devices, o.model(), s, trainData, testData, o.mean(), o.std(),
                        o.placement().faultPlan(), o.rebalanceEvery())) {
            LOG.info("{}: {} ({} parameters) on {}; {} train / {} test images, batch {}, {} epochs, {} lr {}",
                    id, o.model().name(), o.model().parameterCount(), trainer.describe(), trainData.count(), testData.count(), s.batch(),
                    s.epochs(), s.optimizer().kind().name().toLowerCase(), s.optimizer().lr());
            if (context.runFolder().resumed()) resume(checkpoints, trainer);
            double trainSeconds = 0;
            long images = 0;
            Evaluation last = null;
            while (trainer.epoch() < s.epochs() && !context.stopRequested()) {
                int epoch = trainer.epoch();
                Progress progress = Progress.forStream(String.format("epoch %d/%d", epoch + 1, s.epochs()),
                        OptionalLong.of(trainer.stepsPerEpoch() * s.batch()));
                EpochStats stats = trainer.trainEpoch(progress::advance, context::stopRequested);
                progress.finish();
                if (stats == null) break;
                trainSeconds += stats.seconds();
                images += stats.images();
                last = trainer.evaluate();
                LOG.info(String.format("epoch %d/%d: train loss %.4f acc %.2f%% | test loss %.4f acc %.2f%% | %.1f s, %.0f img/s, lr %.3g",
                        epoch + 1, s.epochs(), stats.loss(), 100 * stats.accuracy(), last.loss(), 100 * last.accuracy(),
                        stats.seconds(), stats.imagesPerSecond(), stats.lr()));
                trainHistory.add(stats.toJson());
                Map<String, Object> t = last.toJson(false);
                t.put("epoch", epoch + 1);
                testHistory.add(t);
                Path saved = trainer.save(checkpoints, Map.of("train_history", trainHistory, "test_history", testHistory));
                Checkpoints.prune(checkpoints, o.keepCheckpoints());
                record(context, last, trainer, trainSeconds, images, saved);
                TrainingCurves.write(context.runFolder().path(), trainHistory, testHistory);
            }
            if (last == null && !testHistory.isEmpty()) last = trainer.evaluate();
            if (last != null) {
                record(context, last, trainer, trainSeconds, images, Checkpoints.latest(checkpoints).orElse(null));
                LOG.info(String.format("%s: final test accuracy %.2f%% (loss %.4f) after %d epochs", id, 100 * last.accuracy(), last.loss(), trainer.epoch()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void resume(Path checkpoints, TrainingSession trainer) throws Exception {
        Optional<Path> latest = Checkpoints.latest(checkpoints);
        if (latest.isEmpty()) {
            LOG.info("{}: resumed run has no checkpoint yet; starting at epoch 1", id);
            return;
        }
        Map<String, Object> index = trainer.load(latest.get());
        trainHistory.addAll((List<Map<String, Object>>) index.getOrDefault("train_history", List.of()));
        testHistory.addAll((List<Map<String, Object>>) index.getOrDefault("test_history", List.of()));
        LOG.info("{}: resumed from {} (epoch {}, step {})", id, latest.get(), trainer.epoch(), trainer.step());
    }

    private void record(StageContext context, Evaluation test, TrainingSession trainer, double seconds, long images, Path checkpoint) {
        context.metrics().put("train", Map.of("epochs", List.copyOf(trainHistory)));
        Map<String, Object> t = test.toJson(true);
        t.put("epochs", List.copyOf(testHistory));
        context.metrics().put("test", t);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("model", o.model().name());
        run.put("parameters", o.model().parameterCount());
        run.put("epochs_done", trainer.epoch());
        run.put("steps", trainer.step());
        run.put("seconds", seconds);
        run.put("images_per_s", seconds > 0 ? images / seconds : 0);
        run.put("sync_wait_fraction", seconds > 0 ? trainer.syncSeconds() / seconds : 0);
        run.put("data_on_device", true); // batches are gathered on the device: the device never waits for data
        if (checkpoint != null) run.put("checkpoint", context.runFolder().path().relativize(checkpoint).toString());
        context.metrics().put("training", run);
        Map<String, Object> parallel = trainer.deviceMetrics();
        if (!parallel.isEmpty()) context.metrics().put("data_parallel", parallel);
    }
}
