package dev.clpipe.pipeline.stages;

import dev.clpipe.cl.ClContext;
import dev.clpipe.config.ConfigPaths;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.nn.Checkpoints;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.Evaluation;
import dev.clpipe.nn.Evaluator;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StageType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code type: evaluate}: loads a checkpoint's weights into a model and scores an IDX split (loss,
 * accuracy, confusion matrix) into metrics.json under the stage id. {@code checkpoint} may name a
 * checkpoint folder or a run folder (its latest checkpoint); absent, this run's latest one (after
 * a train stage).
 */
public final class EvaluateStage implements StageType {
    private static final Logger LOG = LogManager.getLogger(EvaluateStage.class);

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String summary() {
        return "score a checkpoint of a model YAML on an IDX split (loss, accuracy, confusion matrix)";
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline) {
        Path data = s.describe("data", "folder with the IDX files; default ../data/mnist").optionalPath("data")
                .orElseGet(() -> s.origin().sourceFile().map(f -> ConfigPaths.resolveRelative(f, "../data/mnist")).orElse(Path.of("data/mnist").toAbsolutePath()));
        ModelSpec model = ModelFile.read(s.describe("model", "model YAML, relative to this file").path("model"));
        Optional<Path> checkpoint = s.describe("checkpoint", "checkpoint folder or run folder; default this run's latest").optionalPath("checkpoint");
        String split = s.describe("split", "IDX file prefix: t10k (test) or train").choice("split", List.of("t10k", "train"), "t10k");
        int batch = s.describe("batch", "images per batch").intIn("batch", 1, 65536, 256);
        ConfigSection norm = s.describe("normalize", "input normalisation (x/255 - mean) / std, as in training").section("normalize");
        float mean = (float) norm.number("mean", 0.1307);
        float std = (float) norm.positiveDouble("std", 0.3081);
        return new StagePlan.OfJob(id, name(), context -> ctx -> {
            Path folder = resolve(checkpoint.orElse(ctx.runFolder().file("checkpoints")));
            Dataset d = IdxDatasets.read(data, split, model.output().size(), 0);
            ClContext device = ctx.device();
            try (Network net = new Network(device, model, batch, pipeline.seed()); DeviceDataset set = new DeviceDataset(device, d, mean, std)) {
                Checkpoints.loadWeights(folder, net);
                Evaluation e = Evaluator.evaluate(net, set);
                Map<String, Object> json = e.toJson(true);
                json.put("checkpoint", folder.toString());
                ctx.metrics().put(id, json);
                LOG.info(String.format("%s: %s on %s/%s: accuracy %.2f%%, loss %.4f (%d images)", id, folder, data, split,
                        100 * e.accuracy(), e.loss(), e.count()));
            }
        });
    }

    /** A checkpoint folder as given, else the latest checkpoint inside a run folder or a checkpoints folder. */
    static Path resolve(Path given) throws java.io.IOException {
        if (Files.isRegularFile(given.resolve("index.json"))) return given;
        Optional<Path> latest = Checkpoints.latest(given);
        if (latest.isEmpty()) latest = Checkpoints.latest(given.resolve("checkpoints"));
        return latest.orElseThrow(() -> new IllegalArgumentException("no checkpoint in " + given + " (expected checkpoints/epoch-NNNN/index.json)"));
    }
}
