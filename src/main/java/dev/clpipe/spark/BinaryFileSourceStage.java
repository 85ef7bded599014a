package dev.clpipe.spark;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import dev.clpipe.pipeline.stages.ImageFolderStage;

/**
 * {@code type: image-folder} under Spark: the same keys as on one machine, planned into a
 * {@link BinaryFileInput} that the driver hands to Spark's {@code binaryFile} source. Spark splits
 * the folder into partitions itself, so {@code shard} (the one-machine way to split) must stay 0/1.
 */
final class BinaryFileSourceStage implements StageType {
    @Override
    public String name() {
        return "image-folder";
    }

    @Override
    public String summary() {
        return "image files under a folder, read by Spark's binaryFile source (recursive, extension filter)";
    }

    @Override
    public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
        ImageFolderStage.Settings settings = ImageFolderStage.read(section, pipeline);
        if (settings.shardCount() != 1) {
            throw section.error("shard", "Spark splits the input into partitions itself; drop 'shard:' for spark-submit");
        }
        if (settings.labels()) {
            throw section.error("labels", "class-per-subfolder labels are not available under Spark yet; run with 'clpipe run'");
        }
        return new StagePlan.OfSource(id, name(), new BinaryFileInput(settings.folder(), settings.extensions(), settings.labels()));
    }
}
