package dev.clpipe.pipeline.stages;

import dev.clpipe.cl.parallel.DevicePool;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.ImageSink;
import dev.clpipe.data.JsonlSink;
import dev.clpipe.detect.Detection;
import dev.clpipe.detect.DetectionsJsonl;
import dev.clpipe.detect.face.BoxDrawing;
import dev.clpipe.detect.face.CheckedFaces;
import dev.clpipe.detect.face.FaceDetections;
import dev.clpipe.detect.face.FaceDetector;
import dev.clpipe.detect.face.FaceDetectorOptions;
import dev.clpipe.detect.face.FaceRecheck;
import dev.clpipe.detect.face.Tiling;
import dev.clpipe.nn.io.FaceApiModels;
import dev.clpipe.nn.io.TinyFaceDetectorWeights;
import dev.clpipe.pipeline.InputPaths;
import dev.clpipe.pipeline.Item;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.Placement;
import dev.clpipe.pipeline.Stage;
import dev.clpipe.pipeline.StageContext;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code type: detect-faces}: face-api's tiny face detector on the device over a stream of decoded
 * images. Appends one line per image to {@code detections.jsonl}, attaches
 * {@link FaceDetections} to each item for later stages, optionally writes copies with the boxes
 * drawn, and with {@code ground_truth} evaluates precision, recall and AP into metrics.json.
 */
public final class DetectFacesStage implements StageType {
    @Override
    public String name() {
        return "detect-faces";
    }

    @Override
    public String summary() {
        return "find faces (face-api tiny face detector, optional tiling); writes detections.jsonl";
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline) {
        Path models = s.describe("models", "face-api model folder; default data/face-api (or -Dclpipe.faceModels / CLPIPE_FACE_MODELS)")
                .path("models", FaceApiModels::defaultFolder);
        InputPaths.verifiedModels(s, "models", models, List.of(TinyFaceDetectorWeights.MANIFEST));
        int inputSize = s.describe("input_size", "net input side, a multiple of 32 (face-api default 416)").intIn("input_size", 32, 2048, TinyFaceDetectorWeights.DEFAULT_INPUT_SIZE);
        if (inputSize % 32 != 0) throw s.error("input_size", "must be a multiple of 32, found " + inputSize);
        double score = s.describe("score_threshold", "keep faces with score above this").doubleIn("score_threshold", 0, 0.999, TinyFaceDetectorWeights.DEFAULT_SCORE_THRESHOLD);
        double iou = s.describe("iou_threshold", "NMS drops boxes overlapping a better one by more than this IoU").doubleIn("iou_threshold", 0.01, 1, TinyFaceDetectorWeights.IOU_THRESHOLD);
        int batch = s.describe("batch", "net inputs (images or tiles) per device run").intIn("batch", 1, 256, 8);
        ConfigSection t = s.describe("tiling", "tiled / multi-scale passes for large photos").section("tiling");
        List<Double> scales = t.describe("scales", "net pixels per image pixel of each tiled pass; [] = no tiling").doubleList("scales", List.of());
        double overlap = t.describe("overlap", "fraction of a tile shared with its neighbour").doubleIn("overlap", 0, 0.9, 0.25);
        boolean whole = t.describe("whole", "also run the whole image letterboxed (face-api's pass)").bool("whole", true);
        Tiling tiling = t.create(() -> new Tiling(scales, overlap, whole));
        ConfigSection r = s.describe("recheck", "second look at each face on a close-up crop; rejects go to faces-rejected.csv").section("recheck");
        boolean recheckOn = r.describe("enabled", "re-check every face (off = face-api's behaviour)").bool("enabled", false);
        List<Double> contexts = r.describe("contexts", "close-up sides over the face box's longer side, one net pass each").doubleList("contexts", FaceRecheck.ON.contexts());
        double recheckScore = r.describe("score", "keep a face when its mean best close-up score is above this").doubleIn("score", 0, 0.999, FaceRecheck.ON.score());
        double recheckIou = r.describe("iou", "a close-up box counts when it overlaps the face by at least this IoU").doubleIn("iou", 0.01, 1, FaceRecheck.ON.minIou());
        FaceRecheck recheck = r.create(() -> new FaceRecheck(recheckOn, contexts, recheckScore, recheckIou));
        FaceDetectorOptions options = s.create(() -> new FaceDetectorOptions(inputSize, score, iou, batch, tiling, recheck));
        String file = s.describe("file", "detections file inside the run folder").string("file", "detections.jsonl");
        Exports exports = new Exports(
                s.describe("coco", "the detections also as COCO JSON inside the run folder; empty = none").string("coco", "detections-coco.json"),
                s.describe("yolo", "folder inside the run folder for YOLO txt labels (+ classes.names); empty = none").string("yolo", "yolo"));
        String drawFolder = s.describe("draw", "folder inside the run folder for copies with boxes drawn; empty = none").string("draw", "");
        Optional<FaceGroundTruth> truth = s.describe("ground_truth", "faces to evaluate against (format visp or coco)").optionalSection("ground_truth")
                .map(FaceGroundTruth::read);
        Placement placement = Placement.read(s);
        dev.clpipe.pipeline.RunOutputs atEnd = folder -> exports.write(folder.file(file), folder);
        return new StagePlan.OfStage(id, name(), context -> open(id, context, models, options, file, drawFolder,
                truth, placement, atEnd), truth.isPresent(), atEnd); // ground-truth scores cover every image
    }

    private static Stage open(String id, StageContext context, Path models, FaceDetectorOptions options, String file, String drawFolder,
                              Optional<FaceGroundTruth> truth, Placement placement, dev.clpipe.pipeline.RunOutputs atEnd) throws Exception {
        TinyFaceDetectorWeights weights = TinyFaceDetectorWeights.load(models);
        // one detector per device of the stage; each takes pieces of a batch when it is free
        DevicePool<FaceDetector> detector = new DevicePool<>(context.devices(placement.device()), d -> new FaceDetector(d, weights, options),
                placement.faultPlan());
        JsonlSink sink;
        try {
            sink = context.jsonl(context.runFolder().file(file));
        } catch (Exception e) {
            detector.close();
            throw e;
        }
        ImageSink drawings = drawFolder.isEmpty() ? null
                    : new ImageSink(context.runFolder().path().resolve(drawFolder), ImageSink.Format.PNG, 1f, context.runFolder().resumed());
        FaceEvaluation evaluation = truth.map(FaceEvaluation::new).orElse(null);
        return new Stage() {
            @Override
            public List<Item> process(List<Item> items) throws Exception {
                List<ImageData> images = items.stream().map(i -> i.get(ImageData.class)).toList();
                List<CheckedFaces> checked = detector.map(detector.pieces(items.size()), DevicePool.Piece::size,
                        (d, p) -> d.detectChecked(images.subList(p.from(), p.to()))).stream().flatMap(List::stream).toList();
                List<List<Detection>> found = checked.stream().map(CheckedFaces::kept).toList();
                for (int i = 0; i < items.size(); i++) {
                    Item item = items.get(i);
                    ImageData img = images.get(i);
                    item.put(FaceDetections.class, new FaceDetections(img.width(), img.height(), found.get(i), checked.get(i).rejected()));
                    sink.write(DetectionsJsonl.toJson(item.id(), img.width(), img.height(), found.get(i)));
                    if (evaluation != null) evaluation.add(item.id(), found.get(i));
                }
                if (drawings != null) {
                    context.parallelMap(items, item -> drawings.write(
                            WriteImagesStage.outputName(item, ImageSink.Format.PNG),
                            BoxDrawing.draw(item.get(ImageData.class), item.get(FaceDetections.class).faces())));
                }
                return items;
            }

            @Override
            public List<Item> finish() {
                if (evaluation != null) context.metrics().put("evaluation", evaluation.toMetrics(options));
                return List.of();
            }

            @Override
            public void close() throws Exception {
                if (detector.size() > 1) Placement.recordDevices(context.metrics(), id, detector.toJson());
                try {
                    sink.close();
                    context.atRunEnd(atEnd);
                } finally {
                    detector.close();
                }
            }
        };
    }

    /** COCO JSON file and YOLO folder names inside the run folder (empty: not written), made from the finished detections.jsonl. */
    private record Exports(String coco, String yolo) {
        void write(Path jsonl, dev.clpipe.pipeline.RunFolder folder) throws java.io.IOException {
            if (coco.isEmpty() && yolo.isEmpty()) return;
            List<dev.clpipe.detect.DetectionsJsonl.Entry> entries = dev.clpipe.detect.DetectionsJsonl.read(jsonl);
            if (!coco.isEmpty()) dev.clpipe.detect.DetectionExports.writeCoco(entries, folder.file(coco));
            if (!yolo.isEmpty()) dev.clpipe.detect.DetectionExports.writeYolo(entries, folder.file(yolo));
        }
    }
}
