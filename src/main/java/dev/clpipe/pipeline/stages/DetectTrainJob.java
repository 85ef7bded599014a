package dev.clpipe.pipeline.stages;

import dev.clpipe.cl.ClContext;
import dev.clpipe.data.JsonlSink;
import dev.clpipe.detect.AnchorKMeans;
import dev.clpipe.detect.AnchorSet;
import dev.clpipe.detect.Detection;
import dev.clpipe.detect.DetectionsJsonl;
import dev.clpipe.detect.EvaluationResult;
import dev.clpipe.detect.NmsConfig;
import dev.clpipe.detect.PrCurvePlot;
import dev.clpipe.detect.YoloDecoder;
import dev.clpipe.detect.YoloEncoder;
import dev.clpipe.detect.YoloLayout;
import dev.clpipe.detect.YoloLoss;
import dev.clpipe.detect.scenes.DigitSceneGenerator;
import dev.clpipe.detect.scenes.Scene;
import dev.clpipe.detect.scenes.SceneSpec;
import dev.clpipe.detect.train.DetectorEvaluation;
import dev.clpipe.detect.train.DetectorTrainer;
import dev.clpipe.detect.train.SceneSet;
import dev.clpipe.detect.Annotation;
import dev.clpipe.detect.train.CachedDetections;
import dev.clpipe.nn.BatchSource;
import dev.clpipe.nn.CachedBatchSource;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.train.EpochSession;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.pipeline.Job;
import dev.clpipe.pipeline.StageContext;
import dev.clpipe.report.LineChart;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The running part of {@code type: detect-train}: the data (generated scenes, or an annotated
 * folder through its decoded-sample cache), anchors, training with per-epoch evaluation and
 * checkpoints, then {@code detections.jsonl}, {@code pr.png}, {@code loss.png}, {@code map.png} and
 * metrics.json sections {@code scenes} or {@code data}, {@code anchors}, {@code train},
 * {@code detection} (final evaluation) and {@code training}.
 */
final class DetectTrainJob implements Job {
    private static final Logger LOG = LogManager.getLogger(DetectTrainJob.class);
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    record Options(Path data, Optional<DetectFolderData> folder, ModelSpec model, SceneSpec scenes, int trainScenes, int testScenes, boolean freshEachEpoch,
                   TrainSettings settings, float mean, float std, YoloLoss.Weights weights, YoloLoss.Objectness objectness, NmsConfig nms, int keepCheckpoints,
                   int evaluateEvery) {}

    private final String id;
    private final Options o;
    private List<Map<String, Object>> history = List.of();
    private DetectorEvaluation.Output last;

    DetectTrainJob(String id, Options options) {
        this.id = id;
        this.o = options;
    }

    /** Training and test images on the device, however they are made. */
    private interface Input extends AutoCloseable {
        BatchSource test();

        List<DetectorEvaluation.Truth> testTruth();

        EpochSession<DetectorTrainer.Epoch> session(DetectorTrainer trainer);

        /** Before epoch {@code epoch} is trained (scenes: the epoch's fresh set). */
        default void beforeEpoch(int epoch) {}

        @Override
        void close();
    }

    /** What the data gives before anything is on the device: classes, the training boxes (frame pixels) and how to make the {@link Input}. */
    private record Prepared(List<String> classes, List<List<Annotation>> trainObjects, String what,
                            java.util.function.Function<YoloEncoder, Input> open) {}

    @Override
    public void run(StageContext context) throws Exception {
        Shape in = o.model().input();
        Shape out = o.model().output();
        long seed = o.settings().seed();
        ClContext device = context.device();
        Prepared data = o.folder().isPresent() ? folder(context, device) : scenes(context, device);
        List<String> classes = data.classes();
        int perAnchor = 5 + classes.size();
        if (out.channels() % perAnchor != 0) {
            throw new IllegalArgumentException("model " + o.model().name() + " ends with " + out.channels() + " channels; a YOLO head for "
                    + classes.size() + " classes needs anchors * " + perAnchor);
        }
        int anchorCount = out.channels() / perAnchor;
        double cellW = (double) in.width() / out.width(), cellH = (double) in.height() / out.height();
        List<double[]> shapes = data.trainObjects().stream().flatMap(List::stream).map(a -> new double[] {a.box().width(), a.box().height()}).toList();
        if (shapes.size() < anchorCount) throw new java.io.IOException(o.data() + ": " + shapes.size() + " training boxes for " + anchorCount + " anchors");
        AnchorKMeans.Result fit = AnchorKMeans.fit(shapes, anchorCount, AnchorSet.Unit.PIXELS, seed, 300);
        AnchorSet anchors = fit.anchors().inCells(cellW, cellH);
        YoloLayout layout = new YoloLayout(out.height(), out.width(), anchorCount, classes.size(), YoloLayout.ClassActivation.SOFTMAX);
        YoloEncoder encoder = new YoloEncoder(layout, anchors, classes);
        int collisions = 0;
        for (List<Annotation> objects : data.trainObjects()) collisions += encoder.encode(objects, in.width(), in.height()).collisions();
        LOG.info(String.format("%s: %s; %d anchors (k-means, mean IoU %.3f): %s px; grid %dx%d; %d boxes share a slot with another (%.2f%%)", id, data.what(),
                anchorCount, fit.meanIou(), describe(fit.anchors()), out.height(), out.width(), collisions, 100.0 * collisions / Math.max(1, shapes.size())));
        context.metrics().put("anchors", anchorMetrics(fit, cellW, collisions));

        Path checkpoints = context.runFolder().file("checkpoints");
        TrainSettings s = o.settings();
        YoloDecoder decoder = new YoloDecoder(layout, anchors, classes);
        double minScore = o.nms().scoreThreshold();
        try (DetectorTrainer trainer = new DetectorTrainer(device, o.model(), s, layout, o.weights(), o.objectness());
             Input input = data.open().apply(encoder)) {
            LOG.info("{}: {} ({} parameters, {} MFLOP/image) on {}; batch {}, {} epochs, {} lr {}", id, o.model().name(), o.model().parameterCount(),
                    String.format("%.1f", o.model().forwardFlops() / 1e6), device.device().describe(), s.batch(), s.epochs(),
                    s.optimizer().kind().name().toLowerCase(), s.optimizer().lr());
            DetectorEvaluation.Output untrained = DetectorEvaluation.run(trainer.network(), input.test(), input.testTruth(), decoder, o.nms(), minScore, 0);
            LOG.info(String.format("%s: untrained detector: mAP@0.5 %.4f", id, untrained.result().map50Voc()));
            EpochTraining<DetectorTrainer.Epoch> epochs = new EpochTraining<>(id, checkpoints, o.keepCheckpoints(), s.epochs(), s.batch(), List.of("history"));
            history = epochs.history("history");
            epochs.run(context, input.session(trainer), new EpochTraining.Steps<>() {
                @Override
                public void beforeEpoch(int epoch) {
                    input.beforeEpoch(epoch);
                }

                @Override
                public void afterEpoch(int epoch, DetectorTrainer.Epoch e, Map<String, Object> extra) {
                    context.metrics().countItems(id, e.images());
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("epoch", epoch + 1);
                    row.put("loss", e.loss());
                    row.put("lr", e.lr());
                    row.put("seconds", e.seconds());
                    row.put("images_per_s", e.imagesPerSecond());
                    boolean evaluate = (epoch + 1) % o.evaluateEvery() == 0 || epoch + 1 == s.epochs();
                    if (evaluate) {
                        last = DetectorEvaluation.run(trainer.network(), input.test(), input.testTruth(), decoder, o.nms(), minScore, trainer.loop().step());
                        row.put("map50", last.result().map50Voc());
                        row.put("map_coco", last.result().mapCoco());
                        row.put("ap50_class_agnostic", last.classAgnostic().map50Voc());
                    }
                    history.add(row);
                    LOG.info(String.format("epoch %d/%d: loss %.4f | %.1f s, %.0f images/s, lr %.3g%s", epoch + 1, s.epochs(), e.loss(), e.seconds(),
                            e.imagesPerSecond(), e.lr(), evaluate ? String.format(" | test mAP@0.5 %.4f, COCO mAP %.4f, class-agnostic AP@0.5 %.4f", last.result().map50Voc(),
                                    last.result().mapCoco(), last.classAgnostic().map50Voc()) : ""));
                    extra.put("anchors_cells", anchorList(anchors));
                    extra.put("grid", List.of(out.height(), out.width()));
                    extra.put("classes", classes);
                }

                @Override
                public void recorded(Path checkpoint, double seconds, long images) throws Exception {
                    context.metrics().put("train", Map.of("epochs", List.copyOf(history)));
                    curves(context.runFolder().path());
                    record(context, trainer, seconds, images, untrained.result(), checkpoint);
                }
            });
            if (last != null) {
                writeResults(context, input.testTruth(), last);
                LOG.info(String.format("%s: test mAP@0.5 %.4f (VOC, all-point), COCO mAP@[.5:.95] %.4f on %d test images; untrained %.4f; training %.1f s",
                        id, last.result().map50Voc(), last.result().mapCoco(), input.testTruth().size(), untrained.result().map50Voc(), epochs.seconds()));
            }
        }
    }

    /** Digit scenes generated from MNIST: train scenes (new ones each epoch unless told otherwise), test scenes from test digits under another seed. */
    private Prepared scenes(StageContext context, ClContext device) throws Exception {
        Shape in = o.model().input();
        int side = o.scenes().frame();
        if (in.height() != side || in.width() != side || in.channels() != 1) {
            throw new IllegalArgumentException("model " + o.model().name() + " takes " + in + " but scenes are padded into "
                    + side + "x" + side + "x1 frames (scenes.canvas max)");
        }
        long seed = o.settings().seed();
        long t0 = System.nanoTime();
        Dataset trainDigits = IdxDatasets.read(o.data(), "train", 10, 0);
        Dataset testDigits = IdxDatasets.read(o.data(), "t10k", 10, 0);
        DigitSceneGenerator trainGenerator = new DigitSceneGenerator(trainDigits, o.scenes(), seed);
        SceneSet train = SceneSet.generate("train scenes", trainGenerator, o.trainScenes());
        SceneSet test = SceneSet.generate("test scenes", new DigitSceneGenerator(testDigits, o.scenes(), seed ^ DigitSceneGenerator.TEST_SEED_SALT), o.testScenes());
        double generateSeconds = (System.nanoTime() - t0) / 1e9;
        List<List<Annotation>> objects = train.scenes().stream().map(Scene::objects).toList();
        int boxes = objects.stream().mapToInt(List::size).sum();
        context.metrics().put("scenes", sceneMetrics(train, test, boxes, generateSeconds));
        String what = String.format("%d train scenes (%d digits), %d test scenes, %dx%d frames, generated in %.1f s", train.count(), boxes, test.count(), side, side,
                generateSeconds);
        return new Prepared(DIGITS, objects, what, encoder -> new SceneInput(device, trainGenerator, encoder, train, test));
    }

    /** An annotated folder: both splits through the decoded-sample cache, the training one through the augmentation when there is one. */
    private Prepared folder(StageContext context, ClContext device) throws Exception {
        DetectFolderData f = o.folder().orElseThrow();
        DetectFolderData.Opened opened = f.open(context);
        context.metrics().put("data", opened.metrics());
        String what = String.format("%s (%s, %s): %d train images (%d objects), %d test images, classes %s, %s samples", o.data(), opened.splits().format().key(),
                opened.splits().layout(), opened.train().count(), opened.train().objects(), opened.test().count(), opened.splits().classes(), f.sample());
        return new Prepared(opened.splits().classes(), opened.train().frameObjects(), what, encoder -> {
            int batch = o.settings().batch();
            CachedBatchSource test = new CachedBatchSource(device, opened.test().samples(), batch, o.mean(), o.std());
            try {
                CachedBatchSource pixels = new CachedBatchSource(device, opened.train().samples(), batch, o.mean(), o.std(), f.views().train().orElse(null));
                CachedDetections train = new CachedDetections(device, opened.train(), pixels, encoder, encoder.layout().size(), batch);
                return new FolderInput(train, test, opened.test().truth());
            } catch (RuntimeException e) {
                test.close();
                throw e;
            }
        });
    }

    private record FolderInput(CachedDetections train, CachedBatchSource test, List<DetectorEvaluation.Truth> testTruth) implements Input {
        @Override
        public EpochSession<DetectorTrainer.Epoch> session(DetectorTrainer trainer) {
            return trainer.session(train);
        }

        @Override
        public void close() {
            try {
                train.close();
            } finally {
                test.close();
            }
        }
    }

    /** The training scenes of the current epoch (frames on the device and their encoded targets) and the test scenes. */
    private final class SceneInput implements Input {
        private final ClContext device;
        private final DigitSceneGenerator generator;
        private final YoloEncoder encoder;
        private final int block;
        private final DeviceDataset testFrames;
        private final List<DetectorEvaluation.Truth> testTruth;
        private SceneSet scenes;
        private float[] targets;
        private DeviceDataset frames;

        SceneInput(ClContext device, DigitSceneGenerator generator, YoloEncoder encoder, SceneSet scenes, SceneSet test) {
            this.device = device;
            this.generator = generator;
            this.encoder = encoder;
            this.block = encoder.layout().size();
            this.scenes = scenes;
            this.targets = scenes.targets(encoder, block);
            this.testTruth = DetectorEvaluation.truth(test);
            this.testFrames = new DeviceDataset(device, test.frames(), o.mean(), o.std());
            try {
                this.frames = new DeviceDataset(device, scenes.frames(), o.mean(), o.std());
            } catch (RuntimeException e) {
                testFrames.close();
                throw e;
            }
        }

        @Override
        public BatchSource test() {
            return testFrames;
        }

        @Override
        public List<DetectorEvaluation.Truth> testTruth() {
            return testTruth;
        }

        @Override
        public EpochSession<DetectorTrainer.Epoch> session(DetectorTrainer trainer) {
            return trainer.session(() -> frames, () -> targets);
        }

        /** A new set of scenes per epoch (numbered on from the ones before, so a resumed run draws the same): the detector cannot learn them by heart. */
        @Override
        public void beforeEpoch(int epoch) {
            if (!o.freshEachEpoch() || epoch == 0) return;
            scenes = SceneSet.generate("train scenes", generator, epoch * o.trainScenes(), o.trainScenes());
            targets = scenes.targets(encoder, block);
            frames.close();
            frames = null; // closed: not again in close() if the next upload fails
            frames = new DeviceDataset(device, scenes.frames(), o.mean(), o.std());
        }

        @Override
        public void close() {
            try {
                if (frames != null) frames.close();
            } finally {
                testFrames.close();
            }
        }
    }

    private void writeResults(StageContext context, List<DetectorEvaluation.Truth> truth, DetectorEvaluation.Output last) throws Exception {
        Path run = context.runFolder().path();
        try (JsonlSink sink = new JsonlSink(run.resolve("detections.jsonl"))) {
            for (int i = 0; i < truth.size(); i++) {
                DetectorEvaluation.Truth t = truth.get(i);
                sink.write(DetectionsJsonl.toJson(t.name(), t.placement().sourceWidth(), t.placement().sourceHeight(), last.detections().get(i)));
            }
        }
        PrCurvePlot.write(run.resolve("pr.png"), last.result().curves50(), "detector: precision/recall @ IoU 0.5 on the test images");
        Map<String, Object> detection = new LinkedHashMap<>(last.result().toMetrics());
        detection.put("ap50_class_agnostic", last.classAgnostic().map50Voc());
        detection.put("evaluation_seconds", last.seconds());
        context.metrics().put("detection", detection);
    }

    private void record(StageContext context, DetectorTrainer trainer, double seconds, long images, EvaluationResult untrained, Path checkpoint) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("model", o.model().name());
        run.put("parameters", o.model().parameterCount());
        run.put("forward_mflop_per_scene", o.model().forwardFlops() / 1e6);
        run.put("epochs_done", trainer.loop().epoch());
        run.put("steps", trainer.loop().step());
        run.put("seconds", seconds);
        run.put("images_per_s", seconds > 0 ? images / seconds : 0); // one image is one scene
        run.put("untrained_map50", untrained.map50Voc());
        run.put("checkpoint", checkpoint.toAbsolutePath().toString());
        context.metrics().put("training", run);
    }

    private void curves(Path folder) throws java.io.IOException {
        double[] epoch = new double[history.size()];
        double[] loss = new double[history.size()];
        List<double[]> map = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            epoch[i] = ((Number) history.get(i).get("epoch")).doubleValue();
            loss[i] = ((Number) history.get(i).get("loss")).doubleValue();
            if (history.get(i).get("map50") instanceof Number m) map.add(new double[] {epoch[i], m.doubleValue()});
        }
        new LineChart("detector training loss per epoch", "epoch", "loss").add("train loss", epoch, loss).write(folder.resolve("loss.png"));
        if (!map.isEmpty()) {
            double[] x = map.stream().mapToDouble(p -> p[0]).toArray();
            double[] y = map.stream().mapToDouble(p -> p[1]).toArray();
            new LineChart("test mAP@0.5 per epoch", "epoch", "mAP@0.5").yRange(0, 1).add("test mAP@0.5", x, y).write(folder.resolve("map.png"));
        }
    }

    private static Map<String, Object> sceneMetrics(SceneSet train, SceneSet test, int boxes, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train", train.count());
        m.put("test", test.count());
        m.put("train_digits", boxes);
        m.put("test_digits", test.scenes().stream().mapToInt(s -> s.objects().size()).sum());
        m.put("frame", train.side());
        m.put("generate_seconds", seconds);
        return m;
    }

    private static Map<String, Object> anchorMetrics(AnchorKMeans.Result fit, double cell, int collisions) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<List<Double>> px = new ArrayList<>();
        fit.anchors().anchors().forEach(a -> px.add(List.of(a.w(), a.h())));
        m.put("pixels", px);
        m.put("cell_pixels", cell);
        m.put("mean_iou", fit.meanIou());
        m.put("iterations", fit.iterations());
        m.put("slot_collisions", collisions);
        return m;
    }

    private static List<List<Double>> anchorList(AnchorSet set) {
        List<List<Double>> out = new ArrayList<>();
        set.anchors().forEach(a -> out.add(List.of(a.w(), a.h())));
        return out;
    }

    private static String describe(AnchorSet px) {
        StringBuilder b = new StringBuilder();
        px.anchors().forEach(a -> b.append(String.format("%.1fx%.1f ", a.w(), a.h())));
        return b.toString().trim();
    }
}
