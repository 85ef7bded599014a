package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.nn.LrSchedule;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.OptimizerSpec;
import dev.clpipe.nn.TripletSettings;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code type: train-embedding}: trains a siamese embedding network (the model YAML's output is
 * the embedding) with triplet loss and semi-hard mining on some classes of an IDX dataset, then
 * measures one-shot verification and identification on classes it never saw. Checkpoints and
 * metrics every epoch; {@code --resume RUN} continues from the latest checkpoint.
 */
public final class TrainEmbeddingStage implements StageType {
    @Override
    public String name() {
        return "train-embedding";
    }

    @Override
    public String summary() {
        return "train an embedding with triplet loss on some classes of an IDX dataset; one-shot verification on unseen classes";
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline) {
        Path data = IdxDatasets.checked(s, IdxDatasets.folder(s, "folder with {train,t10k}-{images-idx3,labels-idx1}-ubyte; default ../data/mnist"), "train", "t10k");
        ModelSpec model = ModelFile.readYaml(s, "model", "model YAML; its output values are the embedding", "train-embedding");
        List<Integer> trainClasses = s.describe("train_classes", "labels trained on (from the train split)").intList("train_classes", List.of(0, 1, 2, 3, 4, 5, 6));
        List<Integer> unseenClasses = s.describe("unseen_classes", "labels never trained on, evaluated one-shot (from the test split)")
                .intList("unseen_classes", List.of(7, 8, 9));
        checkClasses(s, trainClasses, unseenClasses);
        int p = s.describe("classes_per_batch", "P: classes in each batch").intIn("classes_per_batch", 2, 4096, Math.min(7, trainClasses.size()));
        if (p > trainClasses.size()) throw s.error("classes_per_batch", "classes_per_batch " + p + " exceeds the " + trainClasses.size() + " train_classes");
        int k = s.describe("samples_per_class", "K: images of each class in a batch").intIn("samples_per_class", 2, 4096, 8);
        double margin = s.describe("margin", "alpha of max(d_ap - d_an + alpha, 0), squared distances of unit vectors").doubleIn("margin", 1e-6, 4, 0.2);
        int epochs = s.describe("epochs", "passes over the training images").intIn("epochs", 1, 100000, 5);
        OptimizerSpec optimizer = TrainStage.optimizer(s.describe("optimizer", "optimizer: {type: sgd|adam|adamw, lr, momentum, weight_decay, nesterov}").section("optimizer"));
        LrSchedule schedule = TrainStage.schedule(s.describe("schedule", "learning-rate schedule: {type: constant|step|cosine, warmup_steps, step_epochs, gamma, min_factor}").section("schedule"));
        ConfigSection norm = s.describe("normalize", "input normalisation (x/255 - mean) / std").section("normalize");
        float mean = (float) norm.number("mean", 0.1307);
        float std = (float) norm.positiveDouble("std", 0.3081);
        int checkEvery = s.describe("check_every", "steps between reads of the running loss (each is a device sync)").intIn("check_every", 1, 1 << 20, 50);
        int limitTrain = s.describe("limit_train", "read only the first N images of the train split (0 = all)").intIn("limit_train", 0, Integer.MAX_VALUE, 0);
        int limitTest = s.describe("limit_test", "read only the first N images of the test split (0 = all)").intIn("limit_test", 0, Integer.MAX_VALUE, 0);
        int validation = s.describe("validation", "images of the train classes held out (the last ones) to choose the threshold").intIn("validation", 10, Integer.MAX_VALUE, 2000);
        int pairs = s.describe("pairs", "verification pairs drawn per kind (same / different) per set").intIn("pairs", 1, 10_000_000, 5000);
        int trials = s.describe("trials", "1-shot k-way identification trials").intIn("trials", 1, 10_000_000, 3000);
        int keep = s.describe("keep_checkpoints", "checkpoints kept (newest first); 0 keeps every epoch's").intIn("keep_checkpoints", 0, 1 << 20, 0);
        TripletSettings settings = s.create(() -> new TripletSettings(p, k, margin, epochs, optimizer, schedule, pipeline.seed(), checkEvery));
        TrainEmbeddingJob.Options options = new TrainEmbeddingJob.Options(data, model, settings, Set.copyOf(trainClasses), Set.copyOf(unseenClasses),
                mean, std, limitTrain, limitTest, validation, pairs, trials, keep);
        return new StagePlan.OfJob(id, name(), context -> new TrainEmbeddingJob(id, options));
    }

    private static void checkClasses(ConfigSection s, List<Integer> train, List<Integer> unseen) {
        if (train.size() < 2) throw s.error("train_classes", "triplet training needs at least 2 train_classes, got " + train);
        if (unseen.size() < 2) throw s.error("unseen_classes", "one-shot evaluation needs at least 2 unseen_classes, got " + unseen);
        Set<Integer> seen = new HashSet<>();
        for (int c : train) {
            if (c < 0 || c > 255) throw s.error("train_classes", "label " + c + " is outside [0, 255]");
            if (!seen.add(c)) throw s.error("train_classes", "label " + c + " is listed twice");
        }
        Set<Integer> other = new HashSet<>();
        for (int c : unseen) {
            if (c < 0 || c > 255) throw s.error("unseen_classes", "label " + c + " is outside [0, 255]");
            if (seen.contains(c)) throw s.error("unseen_classes", "label " + c + " is also a train class; unseen classes must never be trained on");
            if (!other.add(c)) throw s.error("unseen_classes", "label " + c + " is listed twice");
        }
    }
}
