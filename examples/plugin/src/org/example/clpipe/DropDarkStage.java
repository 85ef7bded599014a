package org.example.clpipe;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.ImageData;
import dev.clpipe.pipeline.Item;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.util.List;

/**
 * {@code type: drop-dark}: passes on only the decoded images whose mean brightness (0..1, over
 * every channel) is at least {@code min_mean}. A stage type reads and checks its keys in
 * {@link #plan} (so {@code clpipe validate} checks them) and opens its resources in the opener.
 */
public final class DropDarkStage implements StageType {
    @Override
    public String name() {
        return "drop-dark";
    }

    @Override
    public String summary() {
        return "example plug-in: drop images darker than min_mean";
    }

    @Override
    public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
        double minMean = section.describe("min_mean", "lowest mean brightness kept, 0..1").doubleIn("min_mean", 0.0, 1.0, 0.2);
        return new StagePlan.OfStage(id, name(), context -> batch -> keepBright(batch, minMean));
    }

    static List<Item> keepBright(List<Item> batch, double minMean) {
        return batch.stream().filter(item -> mean(item.get(ImageData.class)) >= minMean).toList();
    }

    static double mean(ImageData image) {
        long sum = 0;
        for (byte b : image.pixels()) sum += b & 0xFF;
        return image.pixels().length == 0 ? 0 : sum / (255.0 * image.pixels().length);
    }
}
