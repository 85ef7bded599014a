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
}
