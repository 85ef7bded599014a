package dev.clpipe.spark;

import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.StageRegistry;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Everything an executor needs to rebuild the driver's pipeline, sent with each task: the frozen
 * config (defaults filled in and paths made absolute on the driver, since an executor's working
 * directory is its worker's), the run folder, the kernel binaries folder for offline devices, and
 * the stage types. Flags and {@code --set} overrides are already applied in the frozen config.
 *
 * @param yamlFile     absolute path of the pipeline file on the driver (its name names the pipeline)
 * @param allowedRoots extra folders {@code base:} files may come from
 * @param resolvedYaml the frozen config, as written to the run folder's config.yaml; executors plan from it
 * @param runFolder    absolute path of the run folder (a filesystem every executor sees)
 * @param kernelsDir   {@code --kernels DIR}: load prebuilt binaries, never compile (null: compile)
 * @param registry     the stage types (Spark's source and decode plus the one-machine ones)
 */
public record SparkJobSpec(String yamlFile, List<String> allowedRoots,
        String resolvedYaml, String runFolder, String kernelsDir, RegistryFactory registry) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Builds the stage registry on each side; a serializable factory, since registries are not. */
    @FunctionalInterface
    public interface RegistryFactory extends Serializable {
        StageRegistry create();
    }

    public SparkJobSpec {
        allowedRoots = List.copyOf(allowedRoots);
    }

    /** {@code --kernels DIR}, when given. */
    public Optional<String> kernels() {
        return Optional.ofNullable(kernelsDir);
    }

    /** Keys the executor-side pipeline: the same config, run folder and kernels share one instance per JVM. */
    public String key() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(resolvedYaml.getBytes(StandardCharsets.UTF_8));
            sha.update((0 + runFolder + 0 + kernels().orElse("")).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the command line gives before the run folder exists; {@link #build} completes it. */
    public record Builder(String yamlFile, List<String> allowedRoots,
            Optional<String> kernelsDir, RegistryFactory registry, List<String> command) {

        /** The spec of {@code pipeline}'s run in {@code runFolder}: its frozen config, which executors plan from. */
        public SparkJobSpec build(Pipeline pipeline, String runFolder) {
            return new SparkJobSpec(yamlFile, allowedRoots, pipeline.frozenConfig().toYaml(), runFolder,
                    kernelsDir.orElse(null), registry);
        }
    }
}
