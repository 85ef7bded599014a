package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.nio.file.Path;

/**
 * {@code type: sliding-window}: trains a small window classifier on MNIST briefly, rewrites its
 * dense layers as convolutions ({@link dev.clpipe.nn.DenseAsConv}) and classifies every window of
 * a large digit scene two ways — cropping each window and running the classifier on it, and one
 * pass of the convolutional form over the whole canvas — checking both give the same scores and
 * reporting both costs (FLOPs and measured time) under the stage id in metrics.json.
 */
public final class SlidingWindowStage implements StageType {
    @Override
    public String name() {
        return "sliding-window";
    }

    @Override
    public String summary() {
        return "sliding windows vs the same classifier as one convolutional pass: same scores, FLOPs and time of both";
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline) {
        Path data = IdxDatasets.checked(s, IdxDatasets.folder(s, "folder with the MNIST IDX files; default ../data/mnist"), "train", "t10k");
        ModelSpec model = ModelFile.read(s.describe("model", "window classifier YAML (unpadded convs and pools, then dense layers)").path("model"));
        int windows = s.describe("windows", "windows per side of the canvas (canvas side = window + stride * (windows - 1))").intIn("windows", 1, 4096, 25);
        int epochs = s.describe("epochs", "training epochs of the window classifier").intIn("epochs", 1, 1000, 1);
        int batch = s.describe("batch", "training batch").intIn("batch", 1, 65536, 128);
        int limitTrain = s.describe("limit_train", "train on the first N MNIST images (0 = all)").intIn("limit_train", 0, Integer.MAX_VALUE, 0);
        int repeats = s.describe("repeats", "timed repetitions of each way (the median is reported)").intIn("repeats", 1, 1000, 3);
        var optimizer = TrainStage.optimizer(s.describe("optimizer", "classifier optimizer {type, lr, ...}").section("optimizer"));
        var schedule = TrainStage.schedule(s.describe("schedule", "classifier learning-rate schedule").section("schedule"));
        ConfigSection norm = s.describe("normalize", "input normalisation (x/255 - mean) / std").section("normalize");
        float mean = (float) norm.number("mean", 0.1307);
        float std = (float) norm.positiveDouble("std", 0.3081);
        TrainSettings settings = s.create(() -> new TrainSettings(batch, epochs, optimizer, schedule, pipeline.seed(), 50));
        SlidingWindowJob.Options o = new SlidingWindowJob.Options(data, model, settings, windows, limitTrain, repeats, mean, std);
        return new StagePlan.OfJob(id, name(), context -> new SlidingWindowJob(id, o));
    }
}
