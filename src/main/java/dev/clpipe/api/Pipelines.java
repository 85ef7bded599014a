package dev.clpipe.api;

import dev.clpipe.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/** The entry point of the library API: {@code Pipelines.load(path).run(options)}. */
public final class Pipelines {
    private Pipelines() {}

    /**
     * Reads and parses a pipeline YAML (with its {@code base:} files); keys are checked when it is
     * validated or run, with the options applied.
     *
     * @throws dev.clpipe.config.ConfigException the file is missing, not YAML, or breaks the YAML limits
     */
    public static PipelineFile load(Path yaml) {
        if (!Files.isRegularFile(yaml)) throw new IllegalArgumentException("pipeline file " + yaml + " does not exist");
        new ConfigLoader().load(yaml); // parse errors surface here, at load
        return new PipelineFile(yaml);
    }
}
