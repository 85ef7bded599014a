package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.nn.FeatureCache;
import dev.clpipe.nn.LrSchedule;
import dev.clpipe.nn.TrainableModel;
import dev.clpipe.nn.OptimizerSpec;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.Placement;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StreamedFolder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code type: train}: trains a model from a model YAML on an IDX (MNIST-format) dataset or a
 * labelled image folder (streamed from a decoded-sample cache, see {@link FolderData}),
 * evaluates on the test split every epoch, checkpoints every epoch into the run folder and writes
 * per-epoch and final metrics. {@code --resume RUN} continues from the latest checkpoint. An ONNX
 * {@code model} is fine-tuned from its own weights ({@link ModelFile#readTrainable}).
 */
public final class TrainStage implements LabelledFolderJob {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a model YAML (or fine-tune an ONNX model) on an IDX dataset or a labelled image folder (evaluation, checkpoints and metrics every epoch)";
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline, Optional<StreamedFolder> fed) {
        Path data = IdxDatasets.checkedIdxOrImages(s, IdxDatasets.folder(s, "IDX folder ({train,t10k}-{images-idx3,labels-idx1}-ubyte) or labelled image folder (CLASS/ subfolders, "
                + "or train/ and test/ folders of them); default the pipeline's input (--input), else ../data/mnist", pipeline.input()), "train", "t10k");
        TrainableModel model = ModelFile.readTrainable(s, "model", "model YAML (layers), or ONNX file fine-tuned from its weights; relative to this file",
                pipeline.seed());
        IdxDatasets.checkFits(s, data, "train", model);
        if (model instanceof TrainableModel.Imported && s.has("transfer")) {
            throw s.error("transfer", "an ONNX model starts from its own weights (head: puts a new head on it); transfer: starts from a checkpoint of a model YAML");
        }
        Path modelFile = s.path("model");
        int batch = s.describe("batch", "images per training step").intIn("batch", 1, 65536, 128);
        int epochs = s.describe("epochs", "passes over the training set").intIn("epochs", 1, 100000, 10);
        OptimizerSpec optimizer = optimizer(s.describe("optimizer", "optimizer: {type: sgd|adam|adamw, lr, momentum, weight_decay, nesterov}").section("optimizer"));
        LrSchedule schedule = schedule(s.describe("schedule", "learning-rate schedule: {type: constant|step|cosine, warmup_steps, step_epochs, gamma, min_factor}").section("schedule"));
        ConfigSection norm = s.describe("normalize", "input normalisation (x/255 - mean) / std").section("normalize");
        float mean = (float) norm.number("mean", 0.1307);
        float std = (float) norm.positiveDouble("std", 0.3081);
        int checkEvery = s.describe("check_every", "steps between reads of the running loss (each is a device sync)").intIn("check_every", 1, 1 << 20, 50);
        int limitTrain = s.describe("limit_train", "use only the first N training images (0 = all; a labelled folder: N spread over it)").intIn("limit_train", 0, Integer.MAX_VALUE, 0);
        int keep = s.describe("keep_checkpoints", "checkpoints kept (newest first); 0 keeps every epoch's").intIn("keep_checkpoints", 0, 1 << 20, 0);
        int limitTest = s.describe("limit_test", "use only the first N test images (0 = all)").intIn("limit_test", 0, Integer.MAX_VALUE, 0);
        Placement placement = Placement.read(s);
        int rebalance = s.describe("rebalance_every", "several devices: steps between re-splits of the batch by measured speed (0 = never)")
                .intIn("rebalance_every", 0, 1 << 20, 50);
        TrainSettings settings = s.create(() -> new TrainSettings(batch, epochs, optimizer, schedule, pipeline.seed(), checkEvery));
        Optional<Transfer> transfer = model instanceof TrainableModel.Zoo z ? Transfer.read(s, z.spec(), FeatureCache.standardRoot()) : Optional.empty();
        FolderData folder = FolderData.read(s, data, model, pipeline.seed(), true, fed);
        if (FolderData.isIdx(data) && (s.has("view") || s.has("image"))) {
            throw s.error(s.has("view") ? "view" : "image", "image: and view: fit the samples of a labelled image folder to the model, but " + data
                    + " holds IDX files, which must already be the model's input size");
        }
        TrainJob.Options options = new TrainJob.Options(data, model, settings, mean, std, limitTrain, limitTest, keep, transfer, placement, rebalance,
                folder, message -> s.error("data", message), message -> s.error("model", message),
                ImportedModels.head(s).map(h -> Map.<String, Object>of(ImportedModels.HEAD_KEY, ImportedModels.record(h))).orElse(Map.of()));
        return new StagePlan.OfJob(id, name(), context -> new TrainJob(id, options));
    }

    static OptimizerSpec optimizer(ConfigSection o) {
        String type = o.describe("type", "sgd, adam or adamw").choice("type", List.of("sgd", "adam", "adamw"), "adam");
        double lr = o.describe("lr", "base learning rate").positiveDouble("lr", type.equals("sgd") ? 0.05 : 1e-3);
        double momentum = o.describe("momentum", "SGD momentum").doubleIn("momentum", 0, 0.999, type.equals("sgd") ? 0.9 : 0);
        double wd = o.describe("weight_decay", "L2 weight decay (decoupled for adamw)").doubleIn("weight_decay", 0, 1, type.equals("adamw") ? 0.01 : 0);
        boolean nesterov = o.describe("nesterov", "Nesterov momentum (SGD)").bool("nesterov", false);
        double beta1 = o.doubleIn("beta1", 0, 0.9999, 0.9), beta2 = o.doubleIn("beta2", 0, 0.99999, 0.999);
        double eps = o.positiveDouble("eps", 1e-8);
        OptimizerSpec.Kind kind = OptimizerSpec.Kind.valueOf(type.toUpperCase());
        return o.create(() -> new OptimizerSpec(kind, lr, kind == OptimizerSpec.Kind.SGD ? momentum : 0, wd, nesterov, beta1, beta2, eps));
    }

    static LrSchedule schedule(ConfigSection o) {
        String type = o.describe("type", "constant, step or cosine").choice("type", List.of("constant", "step", "cosine"), "constant");
        int warmup = o.describe("warmup_steps", "linear warm-up steps").intIn("warmup_steps", 0, Integer.MAX_VALUE, 0);
        int stepEpochs = o.describe("step_epochs", "step schedule: epochs between decays").intIn("step_epochs", 1, 100000, 1);
        double gamma = o.describe("gamma", "step schedule: factor per decay").doubleIn("gamma", 1e-9, 1, 0.5);
        double minFactor = o.describe("min_factor", "cosine: final lr as a fraction of lr").doubleIn("min_factor", 0, 1, 0);
        return o.create(() -> new LrSchedule(LrSchedule.Kind.valueOf(type.toUpperCase()), warmup, stepEpochs, gamma, minFactor));
    }
}
