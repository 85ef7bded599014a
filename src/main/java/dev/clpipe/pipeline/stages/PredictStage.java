package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.JsonlSink;
import dev.clpipe.nn.Checkpoints;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code type: predict}: classifies the decoded images of a stream with a checkpoint of a model
 * YAML and appends one line per image to {@code predictions.jsonl} in the run folder:
 * {@code {"image": id, "label": best class (name when classes are given), "class": k,
 * "score": softmax probability, "probs": [...]}}. Images are resized (nearest) to the model's
 * input when they differ; decode with the model's channel count.
 */
public final class PredictStage implements StageType {
    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "classify decoded images with a model checkpoint; writes predictions.jsonl";
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline) {
        ModelSpec model = ModelFile.read(s.describe("model", "model YAML, relative to this file").path("model"));
        Optional<Path> checkpoint = s.describe("checkpoint", "checkpoint folder or run folder; default this run's latest").optionalPath("checkpoint");
        int batch = s.describe("batch", "images per device batch").intIn("batch", 1, 65536, 64);
        List<String> classes = s.describe("classes", "class names, index order (optional)").stringList("classes", List.of());
        if (!classes.isEmpty() && classes.size() != model.output().size()) {
            throw s.error("classes", classes.size() + " names for a model with " + model.output().size() + " outputs");
        }
        ConfigSection norm = s.describe("normalize", "input normalisation (x/255 - mean) / std, as in training").section("normalize");
        float mean = (float) norm.number("mean", 0.1307);
        float std = (float) norm.positiveDouble("std", 0.3081);
        String file = s.describe("file", "output file inside the run folder").string("file", "predictions.jsonl");
        return new StagePlan.OfStage(id, name(), context -> {
            Path folder = EvaluateStage.resolve(checkpoint.orElse(context.runFolder().file("checkpoints")));
            Classifier classifier = new Classifier(context.device(), model, batch, pipeline.seed(), mean, std);
            try {
                Checkpoints.loadWeights(folder, classifier.network());
            } catch (Exception e) {
                classifier.close();
                throw e;
            }
            JsonlSink sink = new JsonlSink(context.runFolder().file(file));
            return new dev.clpipe.pipeline.Stage() {
                @Override
                public List<dev.clpipe.pipeline.Item> process(List<dev.clpipe.pipeline.Item> items) throws Exception {
                    List<ImageData> images = items.stream().map(i -> i.get(ImageData.class)).toList();
                    List<float[]> probs = classifier.classify(images);
                    for (int i = 0; i < items.size(); i++) sink.write(Classifier.line(items.get(i).id(), probs.get(i), classes));
                    return items;
                }

                @Override
                public void close() throws Exception {
                    sink.close();
                    classifier.close();
                }
            };
        });
    }
}
