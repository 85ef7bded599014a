package dev.clpipe.pipeline.stages;

import dev.clpipe.augment.AugmentConfig;
import dev.clpipe.augment.AugmentConfigReader;
import dev.clpipe.augment.CentreCropSpec;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.SampleFormat;
import dev.clpipe.nn.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How cached samples of a labelled folder become the model's input on the device: in training,
 * the {@code augment:} ops drawn per sample per epoch (the augment stage's ops and ranges, the
 * model's input size as output); in evaluation, and in training without {@code augment:}, the
 * {@code view:} that fits samples of another {@code image:} size to the model (the whole sample
 * resized, or its centre cropped). Null views mean the samples go in as stored.
 */
record FolderViews(Optional<AugmentConfig> train, Optional<AugmentConfig> eval, List<String> ops, String view) {
    static final List<String> VIEWS = List.of("resize", "centre_crop");

    /** {@code augment} read only when {@code training}; the seed of its draws is the pipeline's. */
    static FolderViews read(ConfigSection s, SampleFormat stored, Shape model, long seed, boolean training) {
        String view = s.describe("view", "labelled folder whose image: size is not the model's input: resize (the whole sample) or centre_crop, "
                + "for evaluation and for training without augment").choice("view", VIEWS, "resize");
        int fill = 0;
        Map<String, Object> ops = new LinkedHashMap<>();
        if (training) {
            Optional<ConfigSection> augment = s.describe("augment", "labelled folder: augmentation on the device, per sample per epoch from (seed, epoch, index): "
                    + "fill and the augment stage's ops (mirror, crop, rotate, shear, scale, translate, color_shift, pca_color, brightness_contrast, elastic; "
                    + "'mirror: true' takes an op's defaults)").optionalSection("augment");
            if (augment.isPresent()) {
                ConfigSection a = augment.get();
                @SuppressWarnings("unchecked")
                Map<String, Object> plain = (Map<String, Object>) a.node().plain();
                for (Map.Entry<String, Object> e : plain.entrySet()) {
                    a.accept(e.getKey());
                    if (e.getKey().equals("fill")) continue;
                    if (Boolean.FALSE.equals(e.getValue())) continue;
                    ops.put(e.getKey(), Boolean.TRUE.equals(e.getValue()) ? Map.of() : e.getValue());
                }
                fill = a.intIn("fill", 0, 255, 0);
            }
        }
        boolean sameSize = stored.height() == model.height() && stored.width() == model.width();
        Map<String, Object> evalKeys = Map.of("output_size", List.of(model.height(), model.width()),
                "ops", view.equals("centre_crop") ? Map.of("centre_crop", Map.of()) : Map.of());
        Optional<AugmentConfig> eval = sameSize ? Optional.empty() : Optional.of(s.create(() -> AugmentConfigReader.read(evalKeys, seed)));
        if (ops.isEmpty()) return new FolderViews(eval, eval, List.of(), view);
        int f = fill;
        Map<String, Object> trainKeys = Map.of("output_size", List.of(model.height(), model.width()), "fill", f, "ops", ops);
        ConfigSection a = s.section("augment");
        AugmentConfig train = a.create(() -> AugmentConfigReader.read(trainKeys, seed));
        return new FolderViews(Optional.of(train), eval, List.copyOf(ops.keySet()), view);
    }

    /** For metrics.json: the training ops and the evaluation view. */
    Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("augment", ops);
        out.put("view", eval.isPresent() ? view : "as stored");
        return out;
    }
}
