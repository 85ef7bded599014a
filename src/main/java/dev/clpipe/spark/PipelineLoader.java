package dev.clpipe.spark;

import dev.clpipe.config.Config;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.config.YamlLimits;
import dev.clpipe.pipeline.Pipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Plans the driver's pipeline again on an executor, from the frozen config the driver sent: every
 * default filled in and every path absolute as the driver resolved it (an executor's working
 * directory is its worker's, so a default such as {@code data/human-models} must not resolve there).
 */
final class PipelineLoader {
    private PipelineLoader() {}

    static Pipeline plan(SparkJobSpec spec) throws IOException {
        return Pipeline.plan(load(spec), spec.registry().create());
    }

    static Config load(SparkJobSpec spec) throws IOException {
        Path file = Path.of(spec.yamlFile());
        Path copy = Files.createTempDirectory("clpipe-spark-config").resolve(file.getFileName().toString());
        Files.writeString(copy, spec.resolvedYaml(), StandardCharsets.UTF_8);
        return new ConfigLoader(YamlLimits.DEFAULT, spec.allowedRoots().stream().map(Path::of).toList())
                .load(copy, java.util.Map.of(), List.of());
    }
}
