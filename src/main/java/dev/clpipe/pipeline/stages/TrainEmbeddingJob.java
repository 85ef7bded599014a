package dev.clpipe.pipeline.stages;

import dev.clpipe.cl.ClContext;
import dev.clpipe.face.verify.OneShotReport;
import dev.clpipe.face.verify.VerificationPairs;
import dev.clpipe.nn.Checkpoints;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.TripletSettings;
import dev.clpipe.nn.ops.TripletLoss;
import dev.clpipe.nn.train.EmbeddingEpoch;
import dev.clpipe.nn.train.EmbeddingTrainer;
import dev.clpipe.pipeline.Job;
import dev.clpipe.pipeline.StageContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The running part of {@code type: train-embedding}. Data: the train classes of the train split
 * (the last {@code validation} of those images held out), the unseen classes of the test split.
 * It scores the untrained network first (the baseline), restores the latest checkpoint when
 * resumed, then per epoch trains, measures validation loss and AUC, checkpoints, writes metrics
 * and loss.png; at the end the one-shot report on the unseen classes and roc.png.
 */
final class TrainEmbeddingJob implements Job {
    private static final Logger LOG = LogManager.getLogger(TrainEmbeddingJob.class);
    /** IDX labels are bytes; the Dataset only needs an upper bound here. */
    private static final int LABEL_RANGE = 256;

    record Options(Path data, ModelSpec model, TripletSettings settings, Set<Integer> trainClasses, Set<Integer> unseenClasses,
                   float mean, float std, int limitTrain, int limitTest, int validation, int pairs, int trials, int keepCheckpoints) {}

    private final String id;
    private final Options o;
    private List<Map<String, Object>> trainHistory = List.of();
    private List<Map<String, Object>> validationHistory = List.of();

    TrainEmbeddingJob(String id, Options options) {
        this.id = id;
        this.o = options;
    }

    @Override
    public void run(StageContext context) throws Exception {
        Dataset seen = DatasetSubsets.withClasses(IdxDatasets.read(o.data(), "train", LABEL_RANGE, o.limitTrain()), o.trainClasses(), "train");
        Dataset unseenData = DatasetSubsets.withClasses(IdxDatasets.read(o.data(), "t10k", LABEL_RANGE, o.limitTest()), o.unseenClasses(), "unseen");
        if (!seen.shape().equals(o.model().input())) {
            throw new IllegalArgumentException("model " + o.model().name() + " expects input " + o.model().input() + " but " + o.data() + " holds " + seen.shape() + " images");
        }
        if (o.validation() >= seen.count()) {
            throw new IllegalArgumentException("validation holds out " + o.validation() + " images but the train classes have only " + seen.count() + " in " + o.data());
        }
        int split = seen.count() - o.validation();
        Dataset trainData = DatasetSubsets.range(seen, 0, split, "train");
        Dataset valData = DatasetSubsets.range(seen, split, seen.count(), "validation");
        ClContext device = context.device();
        Path checkpoints = context.runFolder().file("checkpoints");
        TripletSettings s = o.settings();
        try (EmbeddingTrainer trainer = new EmbeddingTrainer(device, o.model(), s);
                DeviceDataset train = new DeviceDataset(device, trainData, o.mean(), o.std());
                DeviceDataset val = new DeviceDataset(device, valData, o.mean(), o.std());
                DeviceDataset unseen = new DeviceDataset(device, unseenData, o.mean(), o.std())) {
            LOG.info("{}: {} ({} parameters, {}-D embedding) on {}; classes {} -> {} train / {} validation images, unseen {} -> {} test images; "
                            + "batches {} x {}, margin {}, {} epochs, {} lr {}", id, o.model().name(), o.model().parameterCount(), trainer.dim(),
                    device.device().describe(), new TreeSet<>(o.trainClasses()), train.count(), val.count(), new TreeSet<>(o.unseenClasses()),
                    unseen.count(), s.classesPerBatch(), s.samplesPerClass(), s.margin(), s.epochs(), s.optimizer().kind().name().toLowerCase(), s.optimizer().lr());
            // the initial weights are a function of the seed, so the baseline is the same on resume
            OneShotReport untrained = report(trainer, val, unseen);
            LOG.info(String.format("%s: untrained network: unseen-class verification accuracy %.2f%%, AUC %.4f, %d-way 1-shot %.2f%%",
                    id, 100 * untrained.accuracy(), untrained.auc(), untrained.identification().ways(), 100 * untrained.identification().accuracy()));
            EpochTraining<EmbeddingEpoch> epochs = new EpochTraining<>(id, checkpoints, o.keepCheckpoints(), s.epochs(), s.batch(),
                    List.of("train_history", "validation_history"));
            trainHistory = epochs.history("train_history");
            validationHistory = epochs.history("validation_history");
            epochs.run(context, trainer.session(train), new EpochTraining.Steps<>() {
                @Override
                public void afterEpoch(int epoch, EmbeddingEpoch stats, Map<String, Object> extra) {
                    Map<String, Object> v = validate(trainer, val, epoch);
                    LOG.info(String.format("epoch %d/%d: train loss %.4f (%.0f%% active) | validation loss %.4f, AUC %.4f | %.1f s, %.0f img/s, lr %.3g",
                            epoch + 1, s.epochs(), stats.loss(), 100 * stats.activeFraction(), (double) v.get("loss"), (double) v.get("auc"),
                            stats.seconds(), stats.imagesPerSecond(), stats.lr()));
                    trainHistory.add(stats.toJson());
                    validationHistory.add(v);
                }

                @Override
                public void recorded(Path checkpoint, double seconds, long images) throws Exception {
                    context.metrics().put("train", Map.of("epochs", List.copyOf(trainHistory)));
                    context.metrics().put("validation", Map.of("epochs", List.copyOf(validationHistory)));
                    recordTraining(context, trainer, seconds, images, checkpoint);
                    EmbeddingCurves.writeLoss(context.runFolder().path(), trainer.lossCurve(), trainer.stepsPerEpoch(train), trainHistory, validationHistory);
                }
            });
            if (trainHistory.isEmpty()) return;
            OneShotReport trained = report(trainer, val, unseen);
            Map<String, Object> oneShot = new LinkedHashMap<>();
            oneShot.put("train_classes", new TreeSet<>(o.trainClasses()));
            oneShot.put("unseen_classes", new TreeSet<>(o.unseenClasses()));
            oneShot.put("threshold_chosen_on", "validation pairs: held-out images of the train classes");
            oneShot.putAll(trained.toJson());
            oneShot.put("untrained", untrained.toJson());
            OneShotReport pixels = pixelReport(valData, unseenData);
            oneShot.put("pixels", pixels.toJson());
            context.metrics().put("one_shot", oneShot);
            recordTraining(context, trainer, epochs.seconds(), epochs.images(), Checkpoints.latest(checkpoints).orElse(null));
            EmbeddingCurves.writeRoc(context.runFolder().path(), trained.roc(), untrained.roc(), pixels.roc());
            LOG.info(String.format("%s: unseen classes %s: verification accuracy %.2f%% at threshold %.3f (from validation), AUC %.4f, EER %.2f%%; "
                            + "%d-way 1-shot identification %.2f%% (untrained: %.2f%%, AUC %.4f, %.2f%%)", id, new TreeSet<>(o.unseenClasses()),
                    100 * trained.accuracy(), trained.threshold(), trained.auc(), 100 * trained.eer(), trained.identification().ways(),
                    100 * trained.identification().accuracy(), 100 * untrained.accuracy(), untrained.auc(), 100 * untrained.identification().accuracy()));
            LOG.info(String.format("%s: raw pixels for reference: verification accuracy %.2f%%, AUC %.4f, %d-way 1-shot %.2f%%", id,
                    100 * pixels.accuracy(), pixels.auc(), pixels.identification().ways(), 100 * pixels.identification().accuracy()));
        }
    }

    private OneShotReport report(EmbeddingTrainer trainer, DeviceDataset val, DeviceDataset unseen) {
        return OneShotReport.evaluate(trainer.embed(val), val.data().labels(), trainer.embed(unseen), unseen.data().labels(),
                trainer.dim(), o.pairs(), o.trials(), o.settings().seed());
    }

    /** The same report on raw pixels (L2-normalised after input normalisation): what the network must beat. */
    private OneShotReport pixelReport(Dataset val, Dataset unseen) {
        int dim = val.shape().size();
        return OneShotReport.evaluate(pixelRows(val), val.labels(), pixelRows(unseen), unseen.labels(), dim, o.pairs(), o.trials(), o.settings().seed());
    }

    private float[] pixelRows(Dataset d) {
        int dim = d.shape().size();
        float[] rows = new float[d.count() * dim];
        for (int r = 0; r < d.count(); r++) {
            double norm = 0;
            for (int k = 0; k < dim; k++) {
                float v = ((d.images()[r * dim + k] & 0xFF) / 255f - o.mean()) / o.std();
                rows[r * dim + k] = v;
                norm += v * v;
            }
            float inv = (float) (1 / Math.sqrt(norm + 1e-12));
            for (int k = 0; k < dim; k++) rows[r * dim + k] *= inv;
        }
        return rows;
    }

    private Map<String, Object> validate(EmbeddingTrainer trainer, DeviceDataset val, int epoch) {
        TripletLoss.Totals loss = trainer.validationLoss(val);
        double auc = VerificationPairs.sample(trainer.embed(val), trainer.dim(), val.data().labels(), o.pairs(), o.settings().seed()).roc().auc();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("epoch", epoch + 1);
        v.put("loss", loss.loss());
        v.put("active_fraction", loss.activeFraction());
        v.put("auc", auc);
        return v;
    }

    private void recordTraining(StageContext context, EmbeddingTrainer trainer, double seconds, long images, Path checkpoint) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("model", o.model().name());
        run.put("parameters", o.model().parameterCount());
        run.put("embedding_dim", trainer.dim());
        run.put("classes_per_batch", o.settings().classesPerBatch());
        run.put("samples_per_class", o.settings().samplesPerClass());
        run.put("margin", o.settings().margin());
        run.put("epochs_done", trainer.loop().epoch());
        run.put("steps", trainer.loop().step());
        run.put("seconds", seconds);
        run.put("images_per_s", seconds > 0 ? images / seconds : 0);
        run.put("sync_wait_fraction", seconds > 0 ? trainer.loop().syncSeconds() / seconds : 0);
        if (checkpoint != null) run.put("checkpoint", checkpoint.toAbsolutePath().toString());
        context.metrics().put("training", run);
    }
}
