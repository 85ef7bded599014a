package dev.clpipe.spark;

import dev.clpipe.pipeline.StageRegistry;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an executor needs to rebuild the driver's pipeline, sent with each task: the YAML
 * file with the same flags and overrides (used when the file is visible on the executor, so
 * relative paths resolve as on the driver), the resolved config as text (used otherwise), the run
 * folder, the kernel binaries folder for offline devices, and the stage types.
 *
 * @param yamlFile     absolute path of the pipeline file on the driver
 * @param flags        common flags (input, out, device, seed) as given
 * @param sets         {@code --set} overrides as given
 * @param allowedRoots extra folders {@code base:} files may come from
 * @param resolvedYaml the resolved config, as written to the run folder's config.yaml
 * @param runFolder    absolute path of the run folder (a filesystem every executor sees)
 * @param kernelsDir   {@code --kernels DIR}: load prebuilt binaries, never compile (null: compile)
 * @param registry     the stage types (Spark's source and decode plus the one-machine ones)
 */
public record SparkJobSpec(String yamlFile, Map<String, String> flags, List<String> sets, List<String> allowedRoots,
        String resolvedYaml, String runFolder, String kernelsDir, RegistryFactory registry) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Builds the stage registry on each side; a serializable factory, since registries are not. */
    @FunctionalInterface
    public interface RegistryFactory extends Serializable {
        StageRegistry create();
    }

    public SparkJobSpec {
        flags = Map.copyOf(flags);
        sets = List.copyOf(sets);
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
    public record Builder(String yamlFile, Map<String, String> flags, List<String> sets, List<String> allowedRoots,
            Optional<String> kernelsDir, RegistryFactory registry, List<String> command) {

        public SparkJobSpec build(String resolvedYaml, String runFolder) {
            return new SparkJobSpec(yamlFile, flags, sets, allowedRoots, resolvedYaml, runFolder, kernelsDir.orElse(null), registry);
        }
    }
}
