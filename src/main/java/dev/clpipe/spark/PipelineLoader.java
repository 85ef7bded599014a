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
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Plans the driver's pipeline again on an executor. The original file is preferred (relative
 * paths in stage settings then resolve exactly as on the driver); when it is not visible here or
 * no longer resolves to the same config, the resolved text the driver sent is used.
 */
final class PipelineLoader {
    private static final Logger LOG = LogManager.getLogger(PipelineLoader.class);

    private PipelineLoader() {}

    static Pipeline plan(SparkJobSpec spec) throws IOException {
        return Pipeline.plan(load(spec), spec.registry().create());
    }

    static Config load(SparkJobSpec spec) throws IOException {
        Path file = Path.of(spec.yamlFile());
        if (Files.isRegularFile(file)) {
            Config config = loader(spec).load(file, spec.flags(), spec.sets());
            if (config.toYaml().equals(spec.resolvedYaml())) return config;
            LOG.warn("{} differs from the config the driver resolved; using the driver's", file);
        }
        Path copy = Files.createTempDirectory("clpipe-spark-config").resolve(file.getFileName().toString());
        Files.writeString(copy, spec.resolvedYaml(), StandardCharsets.UTF_8);
        return loader(spec).load(copy, java.util.Map.of(), List.of());
    }

    private static ConfigLoader loader(SparkJobSpec spec) {
        return new ConfigLoader(YamlLimits.DEFAULT, spec.allowedRoots().stream().map(Path::of).toList());
    }
}
