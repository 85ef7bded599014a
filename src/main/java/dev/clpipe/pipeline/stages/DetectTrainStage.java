package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.detect.NmsConfig;
import dev.clpipe.detect.YoloLoss;
import dev.clpipe.detect.scenes.SceneSpec;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StreamedFolder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code type: detect-train}: trains a YOLO-style model YAML on an annotated image folder (YOLO txt,
 * VOC XML or COCO JSON, streamed from the decoded-sample cache, see {@link DetectFolderData}) or on
 * digit scenes generated from MNIST (train scenes from train digits, test scenes from test digits);
 * fits anchors by k-means on the training boxes and evaluates on the test images every epoch
 * (mAP@0.5, COCO mAP, PR curve, detections.jsonl); checkpoints every epoch.
 */
public final class DetectTrainStage implements LabelledFolderJob {
    @Override
    public String name() {
        return "detect-train";
    }

    @Override
    public String summary() {
        return "train a YOLO-style detector on an annotated image folder (YOLO, VOC, COCO) or generated MNIST digit scenes; mAP on the test images";
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline, Optional<StreamedFolder> fed) {
        Path data = IdxDatasets.folder(s, "annotated image folder (YOLO, VOC or COCO; train/ and test/ folders or a held-out fraction), or the MNIST IDX "
                + "folder to generate digit scenes from; default the pipeline's input (--input), else ../data/mnist", pipeline.input());
        boolean scenes = FolderData.isIdx(data);
        if (scenes) IdxDatasets.checked(s, data, "train", "t10k");
        else dev.clpipe.pipeline.InputPaths.folder(s, "data", data, "make digit-scenes writes an annotated example (data/digit-scenes)");
        ModelSpec model = ModelFile.read(s.describe("model", "detector model YAML; last layer a 1x1 conv with anchors * (5 + classes) filters").path("model"));
        Optional<DetectFolderData> folder = scenes ? Optional.empty() : Optional.of(DetectFolderData.read(s, data, model, pipeline.seed(), fed));
        if (!scenes && s.has("scenes")) throw s.error("scenes", "scenes are generated from MNIST IDX data, but " + data + " is an annotated image folder");
        ConfigSection sc = s.describe("scenes", "scene generation: train, test, canvas, digits, scale, max_overlap, ink_threshold").section("scenes");
        int trainScenes = sc.describe("train", "training scenes").intIn("train", 1, 1 << 22, 8000);
        int testScenes = sc.describe("test", "test scenes (from MNIST test digits)").intIn("test", 1, 1 << 22, 1000);
        List<Integer> canvas = sc.describe("canvas", "[min, max] canvas side; max is the detector's input side").intList("canvas", List.of(96, 128));
        List<Integer> digits = sc.describe("digits", "[min, max] digits per scene").intList("digits", List.of(1, 5));
        List<Integer> scale = sc.describe("scale", "[min, max] side a 28x28 digit is scaled to").intList("scale", List.of(14, 40));
        double overlap = sc.describe("max_overlap", "largest IoU between two digits' boxes").doubleIn("max_overlap", 0, 1, 0.1);
        boolean fresh = sc.describe("fresh_each_epoch", "every epoch trains on new scenes (scene indices epoch * train ..) instead of repeating one set")
                .bool("fresh_each_epoch", true);
        int ink = sc.describe("ink_threshold", "grey level from which a pixel is ink (box = ink bounds)").intIn("ink_threshold", 1, 255, 64);
        SceneSpec spec = sc.create(() -> {
            for (List<Integer> pair : List.of(canvas, digits, scale)) {
                if (pair.size() != 2) throw new IllegalArgumentException("canvas, digits and scale are [min, max] pairs");
            }
            return new SceneSpec(canvas.get(0), canvas.get(1), digits.get(0), digits.get(1), scale.get(0), scale.get(1), overlap, ink);
        });
        int batch = s.describe("batch", "scenes per training step").intIn("batch", 1, 65536, 32);
        int epochs = s.describe("epochs", "passes over the training scenes").intIn("epochs", 1, 100000, 10);
        var optimizer = TrainStage.optimizer(s.describe("optimizer", "optimizer: {type: sgd|adam|adamw, lr, momentum, weight_decay, nesterov}").section("optimizer"));
        var schedule = TrainStage.schedule(s.describe("schedule", "learning-rate schedule: {type: constant|step|cosine, warmup_steps, ...}").section("schedule"));
        ConfigSection norm = s.describe("normalize", "input normalisation (x/255 - mean) / std").section("normalize");
        float mean = (float) norm.number("mean", 0.1307);
        float std = (float) norm.positiveDouble("std", 0.3081);
        ConfigSection lw = s.describe("loss", "YOLO loss {coord, obj, noobj, cls, objectness: bce|squared}").section("loss");
        YoloLoss.Objectness objectness = YoloLoss.Objectness.valueOf(lw.describe("objectness", "bce (YOLOv3) or squared (YOLOv2, the course)")
                .choice("objectness", List.of("bce", "squared"), "bce").toUpperCase());
        YoloLoss.Weights weights = lw.create(() -> new YoloLoss.Weights(lw.number("coord", 5), lw.number("obj", 1), lw.number("noobj", 0.5), lw.number("cls", 1)));
        ConfigSection n = s.describe("nms", "non-max suppression before evaluation {score_threshold, iou_threshold, class_agnostic}").section("nms");
        NmsConfig nms = n.create(() -> new NmsConfig(n.number("score_threshold", 0.005), n.number("iou_threshold", 0.45), n.bool("class_agnostic", false), 100));
        int checkEvery = s.describe("check_every", "steps between reads of the running loss (each is a device sync)").intIn("check_every", 1, 1 << 20, 50);
        int keep = s.describe("keep_checkpoints", "checkpoints kept (newest first); 0 keeps every epoch's").intIn("keep_checkpoints", 0, 1 << 20, 0);
        int evalEvery = s.describe("evaluate_every", "epochs between evaluations on the test scenes (the last epoch always)").intIn("evaluate_every", 1, 100000, 1);
        TrainSettings settings = s.create(() -> new TrainSettings(batch, epochs, optimizer, schedule, pipeline.seed(), checkEvery));
        DetectTrainJob.Options options = new DetectTrainJob.Options(data, folder, model, spec, trainScenes, testScenes, fresh, settings, mean, std, weights, objectness, nms,
                keep, evalEvery);
        return new StagePlan.OfJob(id, name(), context -> new DetectTrainJob(id, options));
    }
}
