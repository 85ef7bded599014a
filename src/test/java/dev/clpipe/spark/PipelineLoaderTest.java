package dev.clpipe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.config.ConfigLoader;
import dev.clpipe.detect.face.RealFaceData;
import dev.clpipe.face.nets.EmbedderModel;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Executors plan the pipeline as the driver resolved it, not from their own working directory. */
class PipelineLoaderTest {
    @TempDir
    Path temp;

    /** Before: the driver sent the config as read and face-embed's default human_models resolved in the executor's folder. */
    @Test
    void defaultModelFoldersAndRelativePathsAreTheDriversOnTheExecutor() throws Exception {
        Path models = RealFaceData.models().toAbsolutePath();
        Files.createDirectories(temp.resolve("in"));
        Path yaml = Files.writeString(temp.resolve("embed.yaml"), """
                input: in
                out: runs
                stages:
                  - {type: image-folder}
                  - {type: decode, channels: 3}
                  - {type: detect-faces, models: %s}
                  - {type: face-embed, model: face-api, models: %s}
                """.formatted(models, models));
        SparkJobSpec.RegistryFactory registry = () -> SparkStages.of(BuiltinStages.registry());
        Pipeline driver = Pipeline.plan(new ConfigLoader().load(yaml), registry.create());
        SparkJobSpec spec = new SparkJobSpec.Builder(yaml.toString(), List.of(), Optional.empty(), registry, List.of())
                .build(driver, temp.resolve("runs/run").toString());
        String driverHuman = EmbedderModel.defaultFolder().toAbsolutePath().normalize().toString();

        String before = System.getProperty(EmbedderModel.PROPERTY);
        System.setProperty(EmbedderModel.PROPERTY, "elsewhere/human-models"); // what an executor's own default would be
        try {
            String planned = PipelineLoader.plan(spec).frozenConfig().toYaml();
            assertTrue(planned.contains("human_models: " + driverHuman), planned);
            assertFalse(planned.contains("elsewhere"), planned);
            assertTrue(planned.contains("input: " + temp.resolve("in")), planned);
            assertEquals(driver.frozenConfig().toYaml(), planned);
        } finally {
            if (before == null) System.clearProperty(EmbedderModel.PROPERTY);
            else System.setProperty(EmbedderModel.PROPERTY, before);
        }
    }
}
