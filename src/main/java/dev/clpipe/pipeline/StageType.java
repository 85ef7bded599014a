package dev.clpipe.pipeline;

import dev.clpipe.config.ConfigSection;

/** A kind of stage users name in YAML ({@code type: decode}); turns its config section into a plan. */
public interface StageType {
    String name();

    String summary();

    /**
     * Reads and validates {@code section} (every key it accepts), without side effects.
     * {@code id} is the stage's id in the pipeline; {@code pipeline} the top-level settings.
     */
    StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline);

    /**
     * Plans a stage that follows the stream {@code image-folder → [decode →]} ({@code fed}); only
     * jobs that read a labelled folder themselves take it (train, evaluate), the rest plan as usual.
     */
    default StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline, StreamedFolder fed) {
        return plan(id, section, pipeline);
    }

    /** True when this stage takes its data from a stream {@code image-folder → [decode →]} right before it (see {@link StreamedFolder}). */
    default boolean readsStreamedFolder() {
        return false;
    }
}
