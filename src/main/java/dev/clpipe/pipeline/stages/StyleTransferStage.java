package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigPaths;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.pipeline.InputPaths;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import dev.clpipe.style.AdamSettings;
import dev.clpipe.style.CostWeights;
import dev.clpipe.style.FeatureNetwork;
import dev.clpipe.style.StyleLayer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code type: style-transfer}: neural style transfer (Gatys et al., as in the course seeds) of
 * one content photo and one style image with a pretrained face-api network as the feature
 * extractor; writes result.png, steps.png, cost.png and per-iteration costs into metrics.json.
 */
public final class StyleTransferStage implements StageType {
    @Override
    public String name() {
        return "style-transfer";
    }

    @Override
    public String summary() {
        return "neural style transfer of a content photo in the style of an image (Adam on the pixels)";
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline) {
        Path content = InputPaths.file(s, "content", s.describe("content", "content photo (C), relative to this file").path("content"), null);
        Path style = InputPaths.file(s, "style", s.describe("style", "style image (S), relative to this file").path("style"), null);
        Path models = s.describe("models", "face-api model folder; default ../data/face-api").path("models",
                () -> s.origin().sourceFile().map(f -> ConfigPaths.resolveRelative(f, "../data/face-api")).orElse(Path.of("data/face-api")));
        String network = s.describe("network", "feature network: " + String.join(" or ", FeatureNetwork.NETWORKS))
                .choice("network", FeatureNetwork.NETWORKS, "tiny_face_detector");
        InputPaths.verifiedModels(s, "models", models, List.of(network + "_model-weights_manifest.json"));
        boolean tiny = network.equals("tiny_face_detector");
        int size = s.describe("size", "long side of G in pixels (sides rounded to multiples of 32)").intIn("size", 32, 2048, 256);
        int iterations = s.describe("iterations", "optimiser steps on G").intIn("iterations", 1, 1_000_000, 400);
        int snapshots = s.describe("snapshots", "frames in steps.png (first, evenly spaced, last)").intIn("snapshots", 2, 20, 6);
        String init = s.describe("init", "G starts from the content photo plus noise, or from noise alone").choice("init", List.of("content", "noise"), "content");
        double noise = s.describe("noise", "init: content: fraction of uniform noise mixed in (0..1)").doubleIn("noise", 0, 1, 0.1);
        String optimizer = s.describe("optimizer", "adam, or lbfgs (host-side L-BFGS with a backtracking line search)").choice("optimizer", List.of("adam", "lbfgs"), "adam");
        int history = s.describe("history", "lbfgs: curvature pairs kept").intIn("history", 1, 100, 10);
        double lr = s.describe("lr", "Adam learning rate in pixel units (0..255) per step").positiveDouble("lr", 8.0);
        double alpha = s.describe("alpha", "weight of the content cost").doubleIn("alpha", 0, 1e30, 1);
        double beta = s.describe("beta", "weight of the style cost (default balances the network's activation scale)")
                .doubleIn("beta", 0, 1e30, tiny ? 1e10 : 1e8);
        List<String> layers = FeatureNetwork.layerNames(network);
        String contentLayer = s.describe("content_layer", "layer whose activations J_content compares").string("content_layer", tiny ? "conv4" : "conv7");
        if (!layers.contains(contentLayer)) throw s.error("content_layer", "network " + network + " has no layer '" + contentLayer + "' (layers: " + String.join(", ", layers) + ")");
        s.describe("style_layers", "list of {layer, weight}: the Gram matrices J_style compares, with weights lambda_l");
        List<StyleLayer> styleLayers = new ArrayList<>();
        for (ConfigSection l : s.sectionList("style_layers")) {
            String layer = l.string("layer");
            if (!layers.contains(layer)) throw l.error("layer", "network " + network + " has no layer '" + layer + "' (layers: " + String.join(", ", layers) + ")");
            double weight = l.doubleIn("weight", 0, 1e30, 1);
            styleLayers.add(new StyleLayer(layer, weight));
            l.rejectUnknownKeys();
        }
        if (styleLayers.isEmpty()) throw s.error("style_layers", "name at least one style layer, e.g. [{layer: conv1, weight: 1}]");
        CostWeights weights = s.create(() -> new CostWeights(contentLayer, styleLayers, alpha, beta));
        AdamSettings adam = s.create(() -> new AdamSettings(lr, 0.9, 0.999));
        StyleTransferJob.Options options = new StyleTransferJob.Options(content, style, models, network, size, iterations, snapshots,
                init.equals("noise"), noise, weights, adam, optimizer.equals("lbfgs") ? history : 0, pipeline.seed());
        return new StagePlan.OfJob(id, name(), context -> new StyleTransferJob(id, options));
    }
}
