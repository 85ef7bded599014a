package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import dev.clpipe.pipeline.StreamedFolder;
import java.util.Optional;

/**
 * A job that reads a labelled folder (or IDX files) itself, so a stream image-folder → [decode →]
 * right before it names its data instead of running ({@link StreamedFolder}): train and evaluate.
 */
interface LabelledFolderJob extends StageType {
    /** Plans with the data of {@code fed} when a stream names it, else the stage's own {@code data:} or the pipeline's input. */
    StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline, Optional<StreamedFolder> fed);

    @Override
    default boolean readsStreamedFolder() {
        return true;
    }

    @Override
    default StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline, StreamedFolder fed) {
        FolderData.refuseDataBesides(s, fed);
        return plan(id, s, fed.settingsFor(pipeline), Optional.of(fed));
    }

    @Override
    default StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline) {
        return plan(id, s, pipeline, Optional.empty());
    }
}
