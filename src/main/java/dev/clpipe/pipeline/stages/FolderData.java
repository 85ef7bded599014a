package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.CachedSamples;
import dev.clpipe.data.FolderSplits;
import dev.clpipe.data.ImageDecoder;
import dev.clpipe.data.ImageFolderSource;
import dev.clpipe.data.LabelledFolder;
import dev.clpipe.data.SampleCache;
import dev.clpipe.data.SampleFormat;
import dev.clpipe.nn.FeatureCache;
import dev.clpipe.nn.TrainableModel;
import dev.clpipe.nn.Shape;
import dev.clpipe.pipeline.Progress;
import dev.clpipe.pipeline.StageContext;
import dev.clpipe.pipeline.StreamedFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The {@code data:} of a train or evaluate stage when it is a labelled image folder rather than
 * IDX files: how it is split ({@link FolderSplits}), the sample format (default the model's
 * input) and where its decoded-sample cache lives ({@link SampleCache}). Adapts config to the
 * data package and reports warnings, skips and cache reuse in the log.
 */
record FolderData(Path root, Optional<Path> labelList, double testFraction, double validationFraction, SampleFormat format, Path cacheRoot,
                  List<String> extensions, FolderViews views) {
    private static final Logger LOG = LogManager.getLogger(FolderData.class);

    /** True when {@code folder} holds IDX files (MNIST layout) rather than labelled images. */
    static boolean isIdx(Path folder) {
        return Files.isRegularFile(folder.resolve("train-images-idx3-ubyte")) || Files.isRegularFile(folder.resolve("train-images-idx3-ubyte.gz"))
                || Files.isRegularFile(folder.resolve("t10k-images-idx3-ubyte")) || Files.isRegularFile(folder.resolve("t10k-images-idx3-ubyte.gz"));
    }

    /**
     * The folder keys of stage section {@code s} ({@code augment:} too when {@code training}); an
     * {@code image:} channel count other than the model's input is a config error naming the first
     * layer (another size is fitted by the {@link FolderViews}).
     */
    static FolderData read(ConfigSection s, Path data, TrainableModel model, long seed, boolean training, Optional<StreamedFolder> fed) {
        Optional<Path> list = s.describe("label_list", "labelled folder: CSV (file,label) or JSONL ({file, label}) list, files relative to data").optionalPath("label_list");
        ConfigSection held = s.describe("holdout", "labelled folder without test/ (validation/) folders: fractions held out by path hash {test: 0.1, validation: 0}")
                .section("holdout");
        double test = held.doubleIn("test", 0, 0.9, 0.1);
        double validation = held.doubleIn("validation", 0, 0.9, 0);
        if (test + validation >= 0.95) throw held.error("test", "test + validation fractions must stay below 0.95, got " + (test + validation));
        Shape in = model.input();
        SampleFormat format = s.describe("image", "labelled folder: images are converted and resized to {height, width, channels} in the cache; "
                        + "default the model's input (another size meets the model through augment: or view:)")
                .optionalSection("image").map(i -> i.create(() -> new SampleFormat(i.intIn("height", 1, 8192, in.height()), i.intIn("width", 1, 8192, in.width()),
                        i.intIn("channels", 1, 4, in.channels())))).orElse(new SampleFormat(in.height(), in.width(), in.channels()));
        if (format.channels() != in.channels()) throw s.error("image", inputMismatch(model, format.toString(), "image: asks for"));
        if (fed.isPresent() && fed.get().channels().isPresent() && fed.get().channels().getAsInt() != 0 && fed.get().channels().getAsInt() != format.channels()) {
            throw fed.get().channelsError().apply(inputMismatch(model, format.height() + "x" + format.width() + "x" + fed.get().channels().getAsInt(),
                    "decode makes") + " (the stage before it reads the folder itself: set decode's channels to " + format.channels() + " or remove it)");
        }
        Path cache = s.describe("cache", "labelled folder: decoded-sample cache folder; default $CLPIPE_CACHE/samples (~/.cache/clpipe/samples)")
                .optionalPath("cache").orElse(FeatureCache.standardRoot().resolveSibling("samples")); // not recorded: a cache moved with $CLPIPE_CACHE must not make --resume refuse the config
        List<String> extensions = s.describe("extensions", "labelled folder: image file extensions")
                .stringList("extensions", fed.map(StreamedFolder::extensions).orElse(ImageFolderSource.DEFAULT_EXTENSIONS.stream().sorted().toList()));
        FolderViews views = FolderViews.read(s, format, in, seed, training);
        return new FolderData(data, list, test, validation, format, cache, extensions, views);
    }

    /** A job fed by a stream (image-folder → [decode →]) takes the stream's folder: a data: key as well is a config error. */
    static void refuseDataBesides(ConfigSection s, StreamedFolder fed) {
        if (s.has("data")) {
            throw s.error("data", "this stage follows the stream image-folder → decode, which names its data (" + fed.folder()
                    + "); give the folder in one place: remove 'data' here or the stream before it");
        }
    }

    /** "layer conv1 of model lenet5 takes 28x28x1 input, but WHAT 32x32x3 images". */
    static String inputMismatch(TrainableModel model, String dataShape, String what) {
        Shape in = model.input();
        return "layer " + model.firstLayer() + " of model " + model.name() + " takes " + in.height() + "x" + in.width() + "x" + in.channels()
                + " input, but " + what + " " + dataShape + " images";
    }

    FolderSplits splits(StageContext context, List<String> classes) throws IOException {
        FolderSplits s = FolderSplits.read(root, labelList, testFraction, validationFraction, new HashSet<>(extensions), context.skipped(), classes);
        s.warnings().forEach(w -> LOG.warn("{}", w));
        return s;
    }

    /** Checks the class count against the model's outputs (a config error naming the last layer when there are more classes). */
    static void checkClasses(FolderSplits s, TrainableModel model, Path root, Function<String, ConfigException> error) {
        int outputs = model.output().size();
        if (s.classes().size() > outputs) {
            throw error.apply("layer " + model.lastLayer() + " of model " + model.name() + " outputs " + outputs
                    + " classes, but " + root + " has " + s.classes().size() + ": " + s.classes());
        }
        if (s.classes().size() < outputs) LOG.warn("{} has {} classes; model {} outputs {} (the extra outputs stay unused)", root, s.classes().size(), model.name(), outputs);
    }

    /** The decoded samples of one split, from the cache (decoding what is missing, stale or damaged on the worker pool). */
    CachedSamples open(StageContext context, String split, LabelledFolder part) throws IOException {
        if (part.count() == 0) throw new IOException(root + ": the " + split + " split holds no images");
        return open(context, new SampleCache(cacheRoot, split, root, format, new ImageDecoder(), context.workers()), split, part);
    }

    /** {@code part} through {@code cache} (decoding what is missing, stale or damaged on the worker pool), with a progress bar and a log line. */
    static CachedSamples open(StageContext context, SampleCache cache, String split, LabelledFolder part) throws IOException {
        SampleFormat format = cache.format();
        Progress progress = Progress.forStream("cache " + split, OptionalLong.of(part.count()));
        CachedSamples samples;
        try {
            samples = cache.open(part, context.skipped(), new SampleCache.Listener() {
                @Override
                public void warn(String message) {
                    LOG.warn("{}", message);
                }

                @Override
                public void decoded(int files) {
                    progress.advance(files);
                }
            });
        } finally {
            progress.finish();
        }
        SampleCache.Report r = samples.report();
        LOG.info(String.format("%s split: %d images (%d skipped) as %s samples in %s: %d shard(s) reused, %d built, %d stale, %d damaged, %.1f s",
                split, samples.count(), r.skipped(), format, r.folder(), r.reused(), r.built(), r.stale(), r.damaged(), r.seconds()));
        return samples;
    }
}
