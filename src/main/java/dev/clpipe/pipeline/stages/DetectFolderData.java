package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.CachedSamples;
import dev.clpipe.data.ImageDecoder;
import dev.clpipe.data.ImageFolderSource;
import dev.clpipe.data.SampleCache;
import dev.clpipe.data.SampleFormat;
import dev.clpipe.detect.AnnotatedFolder;
import dev.clpipe.detect.train.AnnotatedSamples;
import dev.clpipe.nn.FeatureCache;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.TrainableModel;
import dev.clpipe.nn.Shape;
import dev.clpipe.pipeline.StageContext;
import dev.clpipe.pipeline.StreamedFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The {@code data:} of a detect-train stage when it is a folder of annotated images rather than
 * MNIST IDX files (from which scenes are generated): the annotation format and classes, the test
 * fraction held out by path hash when there is no {@code test/} folder, how images are fitted into
 * the model's input frame, the decoded-sample cache and the training augmentation. Adapts config to
 * {@link AnnotatedFolder} and {@link AnnotatedSamples}.
 */
record DetectFolderData(Path root, AnnotatedFolder.Format format, List<String> classes, double testFraction, SampleFormat sample, Path cacheRoot,
                        List<String> extensions, FolderViews views) {
    private static final Logger LOG = LogManager.getLogger(DetectFolderData.class);

    /** Both splits with their objects, and what metrics.json says about them. */
    record Opened(AnnotatedFolder.Splits splits, AnnotatedSamples train, AnnotatedSamples test, Map<String, Object> metrics) {
    }

    static DetectFolderData read(ConfigSection s, Path data, ModelSpec model, long seed, Optional<StreamedFolder> fed) {
        ConfigSection a = s.describe("annotations", "annotated folder: {format: auto|yolo|voc|coco, classes: [names in class-index order]}").section("annotations");
        String f = a.describe("format", "auto (COCO annotations.json, YOLO classes.names + .txt per image, VOC .xml per image), yolo, voc or coco")
                .choice("format", List.of("auto", "yolo", "voc", "coco"), "auto");
        List<String> classes = a.describe("classes", "class names in head order; default the names file (YOLO), category ids (COCO), sorted names (VOC)")
                .stringList("classes", List.of());
        ConfigSection held = s.describe("holdout", "annotated folder without a test/ folder: {test: fraction held out by path hash}").section("holdout");
        double test = held.doubleIn("test", 0.01, 0.9, 0.1);
        String fit = s.describe("fit", "annotated folder: how an image meets the model's input frame: letterbox (scaled to fit, aspect kept, centred), "
                + "pad (top-left, scaled down only when larger) or stretch; boxes follow").choice("fit", List.of("letterbox", "pad", "stretch"), "letterbox");
        Shape in = model.input();
        SampleFormat sample = s.create(() -> new SampleFormat(in.height(), in.width(), in.channels(), SampleFormat.Fit.valueOf(fit.toUpperCase(Locale.ROOT))));
        if (fed.isPresent() && fed.get().channels().isPresent() && fed.get().channels().getAsInt() != 0 && fed.get().channels().getAsInt() != in.channels()) {
            throw fed.get().channelsError().apply(FolderData.inputMismatch(TrainableModel.of(model), in.height() + "x" + in.width() + "x" + fed.get().channels().getAsInt(),
                    "decode makes") + " (the stage before it reads the folder itself: set decode's channels to " + in.channels() + " or remove it)");
        }
        Path cache = s.describe("cache", "annotated folder: decoded-sample cache folder; default $CLPIPE_CACHE/samples (~/.cache/clpipe/samples)")
                .optionalPath("cache").orElse(FeatureCache.standardRoot().resolveSibling("samples")); // not recorded: a cache moved with $CLPIPE_CACHE must not make --resume refuse the config
        List<String> extensions = s.describe("extensions", "annotated folder: image file extensions")
                .stringList("extensions", fed.map(StreamedFolder::extensions).orElse(ImageFolderSource.DEFAULT_EXTENSIONS.stream().sorted().toList()));
        FolderViews views = FolderViews.read(s, sample, in, seed, true);
        if (views.ops().contains("elastic")) {
            throw s.error("augment", "elastic warping cannot move the boxes with the pixels; detect-train takes the other ops (mirror, crop, scale, translate, "
                    + "rotate and shear move boxes as their corners' bounding box; colour ops leave them)");
        }
        return new DetectFolderData(data, AnnotatedFolder.Format.valueOf(f.toUpperCase(Locale.ROOT)), classes, test, sample, cache, extensions, views);
    }

    /** Reads the annotations, opens both splits' caches (decoding what is missing) and reads every image's objects. */
    Opened open(StageContext context) throws IOException {
        AnnotatedFolder.Splits splits = AnnotatedFolder.read(root, format, classes, testFraction, new HashSet<>(extensions), context.skipped());
        splits.warnings().forEach(w -> LOG.warn("{}", w));
        AnnotatedSamples train = samples(context, "detect-train", splits.train());
        AnnotatedSamples test = samples(context, "detect-test", splits.test());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("folder", root.toAbsolutePath().toString());
        m.put("format", splits.format().key());
        m.put("layout", splits.layout());
        m.put("classes", splits.classes());
        m.put("train_images", train.count());
        m.put("test_images", test.count());
        m.put("train_objects", train.objects());
        m.put("test_objects", test.truth().stream().mapToInt(t -> t.objects().size()).sum());
        m.put("skipped_files", context.skipped().size());
        m.put("sample_format", sample.toString());
        m.putAll(views.toJson());
        m.put("warnings", splits.warnings());
        m.put("cache", Map.of("train", train.samples().report().toJson(), "test", test.samples().report().toJson()));
        return new Opened(splits, train, test, m);
    }

    private AnnotatedSamples samples(StageContext context, String split, AnnotatedFolder.Split part) throws IOException {
        Path splitRoot = part.images().root();
        SampleCache cache = new SampleCache(cacheRoot, split, splitRoot, sample, new ImageDecoder(), context.workers()).withSourceSizes();
        CachedSamples samples = FolderData.open(context, cache, split, part.images());
        if (samples.count() == 0) throw new IOException(splitRoot + ": no image of the " + split + " split could be decoded (see skipped.csv)");
        return AnnotatedSamples.of(samples, part);
    }
}
