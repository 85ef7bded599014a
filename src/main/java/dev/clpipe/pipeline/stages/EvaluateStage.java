package dev.clpipe.pipeline.stages;

import dev.clpipe.cl.ClContext;
import dev.clpipe.config.ConfigPaths;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.FolderSplits;
import dev.clpipe.data.LabelledFolder;
import dev.clpipe.nn.AveragingEvaluator;
import dev.clpipe.nn.BatchSource;
import dev.clpipe.data.CachedSamples;
import dev.clpipe.nn.CachedBatchSource;
import dev.clpipe.nn.Checkpoints;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.Evaluation;
import dev.clpipe.nn.Evaluator;
import dev.clpipe.nn.TrainableModel;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.View;
import dev.clpipe.pipeline.InputPaths;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StageContext;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StreamedFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code type: evaluate}: loads a checkpoint's weights into a model and scores an IDX split or a
 * split of a labelled folder (loss, accuracy, confusion matrix; class names when the checkpoint
 * has them) into metrics.json under the stage id. {@code checkpoint} may name a
 * checkpoint folder or a run folder (its latest checkpoint); absent, this run's latest one (after
 * a train stage). {@code tta} averages softmax probabilities over shifted (and mirrored) views
 * made on the device; {@code ensemble} averages them over several checkpoints. An ONNX {@code model}
 * is scored with its own weights unless {@code checkpoint} is given ({@link ModelFile#readTrainable}).
 */
public final class EvaluateStage implements LabelledFolderJob {
    private static final Logger LOG = LogManager.getLogger(EvaluateStage.class);

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String summary() {
        return "score a checkpoint of a model YAML, or an ONNX model, on an IDX split or a labelled folder (loss, accuracy, confusion matrix)";
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline, Optional<StreamedFolder> fed) {
        Path data = IdxDatasets.folder(s, "IDX folder or labelled image folder (as for train); default the pipeline's input (--input), else ../data/mnist", pipeline.input());
        TrainableModel model = ModelFile.readTrainable(s, "model", "model YAML, or ONNX file (its own weights unless 'checkpoint' is given or it has a head:); "
                + "relative to this file", pipeline.seed());
        Optional<Path> checkpoint = s.describe("checkpoint", "checkpoint folder or run folder; default this run's latest").optionalPath("checkpoint");
        String split = s.describe("split", "t10k or test, train; labelled folders also validation and all (every image)")
                .choice("split", List.of("t10k", "test", "train", "validation", "all"), "t10k");
        IdxDatasets.checkedIdxOrImages(s, data, split.equals("test") ? "t10k" : split);
        IdxDatasets.checkFits(s, data, split.equals("test") ? "t10k" : split, model);
        FolderData folder = FolderData.read(s, data, model, pipeline.seed(), false, fed);
        int batch = s.describe("batch", "images per batch").intIn("batch", 1, 65536, 256);
        ConfigSection norm = s.describe("normalize", "input normalisation (x/255 - mean) / std, as in training").section("normalize");
        float mean = (float) norm.number("mean", 0.1307);
        float std = (float) norm.positiveDouble("std", 0.3081);
        Optional<ConfigSection> ttaSection = s.describe("tta", "test-time augmentation: {crops: 1|5|9, shift: pixels, mirror: bool}; softmax probabilities averaged over the views")
                .optionalSection("tta");
        List<View> views = ttaSection.map(t -> t.create(() -> View.of(t.intIn("crops", 1, 9, 1), t.intIn("shift", 0, 64, 1), t.bool("mirror", false))))
                .orElse(List.of(View.IDENTITY));
        Optional<ConfigSection> ensembleSection = s.describe("ensemble", "average probabilities over checkpoints: {last: K} (the K newest of 'checkpoint' or this run) or {checkpoints: [folders]}")
                .optionalSection("ensemble");
        int last = ensembleSection.map(e -> e.intIn("last", 1, 100000, 1)).orElse(1);
        List<Path> members = ensembleSection.map(e -> e.stringList("checkpoints", List.of()).stream()
                .map(v -> ConfigPaths.resolveRelative(e.originOf("checkpoints"), v, e.keyPath("checkpoints"))).toList()).orElse(List.of());
        if (ensembleSection.isPresent() && ensembleSection.get().has("last") && !members.isEmpty()) {
            throw ensembleSection.get().error("last", "give either 'last' or 'checkpoints', not both");
        }
        String predictions = s.describe("predictions", "file in the run folder for one line per image: {image, label, class, score, probs, truth}; empty for none")
                .string("predictions", "");
        if (!predictions.isEmpty() && (views.size() > 1 || !views.get(0).isIdentity() || last > 1 || !members.isEmpty())) {
            throw s.error("predictions", "predictions are written for one checkpoint without tta; remove tta/ensemble or predictions");
        }
        if (!predictions.isEmpty() && (predictions.contains("/") || predictions.contains("\\") || predictions.startsWith("."))) {
            throw s.error("predictions", "expected a file name inside the run folder, found \"" + predictions + "\"");
        }
        checkpoint.ifPresent(c -> checked(s, "checkpoint", c, last == 1));
        ensembleSection.ifPresent(e -> members.forEach(m -> checked(e, "checkpoints", m, true)));
        boolean fileWeights = model instanceof TrainableModel.Imported && !s.has("head") && checkpoint.isEmpty() && ensembleSection.isEmpty();
        return new StagePlan.OfJob(id, name(), context -> ctx -> {
            Path given = checkpoint.orElse(ctx.runFolder().file("checkpoints"));
            List<Path> folders = fileWeights ? List.of(s.path("model")) : members.isEmpty() ? lastCheckpoints(given, last) : resolveAll(members);
            ClContext device = ctx.device();
            List<String> classes = fileWeights ? List.of() : Checkpoints.classNames(folders.get(folders.size() - 1));
            CachedSamples samples = FolderData.isIdx(data) ? null : folderSamples(ctx, folder, split, classes);
            try (Network net = network(s, model, device, batch, pipeline.seed());
                    BatchSource set = samples == null ? idxSet(device, data, split, model, mean, std, s)
                            : new CachedBatchSource(device, samples, net.batch(), mean, std, folder.views().eval().orElse(null))) {
                Evaluation e;
                if (folders.size() == 1 && views.equals(List.of(View.IDENTITY))) {
                    if (!fileWeights) Checkpoints.loadWeights(folders.get(0), net); // else the network holds the file's weights
                    if (predictions.isEmpty()) {
                        e = Evaluator.evaluate(net, set);
                    } else {
                        IntFunction<String> image = samples == null ? i -> split + "/" + i : samples::file;
                        List<String> names = classes.isEmpty() && samples != null ? samples.classes() : classes;
                        e = Predictions.write(ctx.jsonl(ctx.runFolder().file(predictions)), net, set, image, names);
                    }
                } else {
                    List<AveragingEvaluator.Member> loaders = fileWeights ? List.of(n -> { }) // the network holds the file's weights
                            : folders.stream().<AveragingEvaluator.Member>map(f -> n -> Checkpoints.loadWeights(f, n)).toList();
                    e = AveragingEvaluator.evaluate(net, set, views, loaders);
                }
                ctx.metrics().countItems(id, e.count());
                Map<String, Object> json = e.toJson(true);
                if (!classes.isEmpty()) json.put("classes", classes);
                json.put("checkpoint", folders.get(folders.size() - 1).toAbsolutePath().toString());
                if (folders.size() > 1) json.put("ensemble", folders.stream().map(f -> f.toAbsolutePath().toString()).toList());
                if (views.size() > 1 || !views.get(0).isIdentity()) json.put("tta_views", views.stream().map(View::toString).toList());
                ctx.metrics().put("evaluation", json);
                TrainingCurves.writeConfusion(ctx.runFolder().file(id + "-confusion.png"), id + ": confusion on " + split, e, classes);
                LOG.info(String.format("%s: %s on %s/%s: accuracy %.2f%%, loss %.4f (%d images; %d view(s) x %d checkpoint(s))", id,
                        folders.get(folders.size() - 1), data, split, 100 * e.accuracy(), e.loss(), e.count(), views.size(), folders.size()));
            }
        });
    }

    /** The model's network; a node the training plan cannot hold is a config error at the model key naming it. */
    private static Network network(ConfigSection s, TrainableModel model, ClContext device, int batch, long seed) {
        try {
            return model.network(device, batch, seed);
        } catch (IllegalArgumentException e) {
            throw s.error("model", "model " + model.name() + " cannot be scored here: node " + e.getMessage() + " (it still runs in predict and model run)");
        }
    }

    private static BatchSource idxSet(ClContext device, Path data, String split, TrainableModel model, float mean, float std, ConfigSection s)
            throws java.io.IOException {
        if (split.equals("validation") || split.equals("all")) throw s.error("split", "IDX data has the splits t10k (test) and train, not " + split);
        Dataset d = IdxDatasets.read(data, split.equals("test") ? "t10k" : split, model.output().size(), 0);
        if (!d.shape().equals(model.input())) throw s.error("data", FolderData.inputMismatch(model, d.shape().toString(), data + " holds"));
        return new DeviceDataset(device, d, mean, std);
    }

    /** A split of a labelled folder from its cache, labelled with the checkpoint's class names when it has them. */
    private static CachedSamples folderSamples(StageContext ctx, FolderData folder, String split, List<String> classes) throws java.io.IOException {
        boolean all = split.equals("all");
        FolderData f = all ? new FolderData(folder.root(), folder.labelList(), 0, 0, folder.format(), folder.cacheRoot(), folder.extensions(), folder.views()) : folder;
        FolderSplits splits = f.splits(ctx, classes.isEmpty() ? null : classes);
        LabelledFolder part = switch (split) {
            case "train", "all" -> splits.train();
            case "validation" -> splits.validation();
            default -> splits.test();
        };
        return f.open(ctx, split.equals("t10k") ? "test" : split, part);
    }

    /** The {@code k} newest checkpoints of a run or checkpoints folder (or the folder itself when it is one). */
    static List<Path> lastCheckpoints(Path given, int k) throws java.io.IOException {
        if (k == 1 || Files.isRegularFile(given.resolve("index.json"))) return List.of(resolve(given));
        List<Path> all = Checkpoints.all(given);
        if (all.isEmpty()) all = Checkpoints.all(given.resolve("checkpoints"));
        if (all.size() < k) {
            throw new java.io.IOException("ensemble last " + k + ": only " + all.size() + " checkpoint(s) in " + given + " (train with keep_checkpoints 0 or >= " + k + ")");
        }
        return all.subList(all.size() - k, all.size());
    }

    private static List<Path> resolveAll(List<Path> given) throws java.io.IOException {
        List<Path> out = new java.util.ArrayList<>();
        for (Path p : given) out.add(resolve(p));
        return out;
    }

    /**
     * Planning: a checkpoint named in the config (made by an earlier run) must exist; with
     * {@code single}, it must also be or hold a checkpoint (exit 4 before any work).
     */
    static Path checked(ConfigSection s, String key, Path given, boolean single) {
        InputPaths.folder(s, key, given, null);
        if (single && Files.isDirectory(given)) {
            try {
                resolve(given);
            } catch (java.io.IOException e) {
                InputPaths.refuse(s, key, e.getMessage(), null);
            }
        }
        return given;
    }

    /** A checkpoint folder as given, else the latest checkpoint inside a run folder or a checkpoints folder. */
    public static Path resolve(Path given) throws java.io.IOException {
        if (Files.isRegularFile(given.resolve("index.json"))) return given;
        Optional<Path> latest = Checkpoints.latest(given);
        if (latest.isEmpty()) latest = Checkpoints.latest(given.resolve("checkpoints"));
        if (latest.isEmpty()) throw new java.io.IOException("no checkpoint in " + given + " (expected index.json there or checkpoints/epoch-NNNN/index.json)");
        return latest.get();
    }
}
