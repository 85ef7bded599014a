package dev.clpipe.pipeline.stages;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.infer.Classifier;
import dev.clpipe.nn.infer.ImageClassifier;
import dev.clpipe.nn.infer.OnnxClassifier;
import dev.clpipe.cl.parallel.DevicePool;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.JsonlSink;
import dev.clpipe.nn.Checkpoints;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.onnx.OnnxImporter;
import dev.clpipe.nn.onnx.OnnxNetwork;
import dev.clpipe.nn.onnx.UnsupportedOnnxException;
import dev.clpipe.pipeline.InputPaths;
import dev.clpipe.pipeline.Item;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.Placement;
import dev.clpipe.pipeline.Stage;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code type: predict}: classifies the decoded images of a stream with a checkpoint of a model
 * YAML, or with an ONNX classifier ({@code model: X.onnx}, weights inside, NCHW [N, C, H, W] input
 * run as the inference graph), and appends one line per image to {@code predictions.jsonl} in the run folder:
 * {@code {"image": id, "label": best class (its name when the checkpoint or {@code classes} has names), "class": k,
 * "score": softmax probability, "probs": [...]}}. Images are resized (nearest) to the model's
 * input when they differ; decode with the model's channel count. When the stream ends, the same
 * predictions also go to {@code predictions.csv} ({@code image,label,class,score}, key {@code csv}).
 */
public final class PredictStage implements StageType {
    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "classify decoded images with a model checkpoint; writes predictions.jsonl and predictions.csv";
    }

    /** predictions.csv from the finished predictions.jsonl (after a resume too: the JSONL holds every image once). */
    private static void writeCsv(Path jsonl, Path csv) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (dev.clpipe.data.CsvSink out = new dev.clpipe.data.CsvSink(csv, List.of("image", "label", "class", "score"), true);
                java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(jsonl, java.nio.charset.StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) continue;
                com.fasterxml.jackson.databind.JsonNode n = json.readTree(line);
                out.row(n.path("image").asText(), n.path("label").asText(), n.path("class").asInt(), n.path("score").asDouble());
            }
        }
    }

    /** The ONNX classifier under 'model': a malformed file is a data error (exit 4), an operator clpipe cannot run a config error (exit 2). */
    private static OnnxNetwork onnx(ConfigSection s, Path file) {
        try {
            OnnxNetwork net = OnnxImporter.read(file);
            OnnxClassifier.classes(net);
            return net;
        } catch (UnsupportedOnnxException | IllegalArgumentException e) {
            throw s.error("model", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline) {
        Path modelFile = s.describe("model", "model YAML (with a checkpoint) or ONNX file (weights inside), relative to this file").path("model");
        OnnxNetwork onnx = ModelFile.isOnnx(modelFile) ? onnx(s, modelFile) : null;
        ModelSpec model = onnx == null ? ModelFile.read(modelFile) : null;
        int outputs = onnx == null ? model.output().size() : OnnxClassifier.classes(onnx);
        Optional<Path> checkpoint = s.describe("checkpoint", "checkpoint folder or run folder; default this run's latest").optionalPath("checkpoint");
        if (onnx != null && checkpoint.isPresent()) throw s.error("checkpoint", "an ONNX model carries its weights; drop 'checkpoint' (a fine-tuned one: 'clpipe model export X.onnx --checkpoint DIR --output Y.onnx', then predict with Y.onnx)");
        checkpoint.ifPresent(c -> EvaluateStage.checked(s, "checkpoint", c, true));
        int batch = s.describe("batch", "images per device batch").intIn("batch", 1, 65536, 64);
        List<String> classes = s.describe("classes", "class names, index order; default the checkpoint's (saved when trained on a labelled folder)")
                .stringList("classes", List.of());
        if (!classes.isEmpty() && classes.size() != outputs) {
            throw s.error("classes", classes.size() + " names for a model with " + outputs + " outputs");
        }
        ConfigSection norm = s.describe("normalize", "input normalisation (x/255 - mean) / std, as in training").section("normalize");
        float mean = (float) norm.number("mean", 0.1307);
        float std = (float) norm.positiveDouble("std", 0.3081);
        String file = s.describe("file", "output file inside the run folder").string("file", "predictions.jsonl");
        String csv = s.describe("csv", "the same predictions as CSV (image,label,class,score) inside the run folder")
                .string("csv", file.replaceFirst("\\.jsonl$", "") + ".csv");
        Placement placement = Placement.read(s);
        dev.clpipe.pipeline.RunOutputs atEnd = folder -> writeCsv(folder.file(file), folder.file(csv));
        return new StagePlan.OfStage(id, name(), context -> {
            Path folder = onnx != null ? null : EvaluateStage.resolve(checkpoint.orElse(context.runFolder().file("checkpoints")));
            List<String> names = !classes.isEmpty() || onnx != null ? classes : Checkpoints.classNames(folder);
            List<ClContext> devices = context.devices(placement.device());
            int rows = ImageClassifier.deviceRows(batch, pipeline.batch(), devices.size());
            DevicePool<ImageClassifier> pool = new DevicePool<>(devices, device -> {
                if (onnx != null) return new OnnxClassifier(device, onnx, rows, mean, std);
                Classifier classifier = new Classifier(device, model, rows, pipeline.seed(), mean, std);
                try {
                    Checkpoints.loadWeights(folder, classifier.network());
                    return classifier;
                } catch (IOException | RuntimeException e) {
                    classifier.close();
                    throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
                }
            }, placement.faultPlan());
            JsonlSink sink = context.jsonl(context.runFolder().file(file));
            return new Stage() {
                @Override
                public List<Item> process(List<Item> items) throws Exception {
                    List<ImageData> images = items.stream().map(i -> i.get(ImageData.class)).toList();
                    List<List<float[]>> parts = pool.map(pool.pieces(items.size()), DevicePool.Piece::size,
                            (classifier, p) -> classifier.classify(images.subList(p.from(), p.to())));
                    List<float[]> probs = parts.stream().flatMap(List::stream).toList();
                    for (int i = 0; i < items.size(); i++) sink.write(Predictions.line(items.get(i).id(), probs.get(i), names));
                    return items;
                }

                @Override
                public void close() throws Exception {
                    if (pool.size() > 1) Placement.recordDevices(context.metrics(), id, pool.toJson());
                    sink.close();
                    pool.close();
                    context.atRunEnd(atEnd);
                }
            };
        }, false, atEnd);
    }
}
